/*
 * Case Board's own script: shows what went wrong when an htmx request fails.
 *
 * htmx swaps nothing for a 4xx or 5xx answer (see the htmx-config in base.html), so the page,
 * and whatever was typed into its forms, stays as it was. Without this script the person would
 * see nothing happen. Here the server's short explanation (templates/errors/_htmx_error.html)
 * is put above the form (or the part of the page) that made the request, focused when the
 * person had sent a form, and announced through the live region #app-announcer in base.html.
 * No fields are touched. Loaded with defer after htmx; no inline script (the CSP forbids it).
 */
(function () {
  "use strict";

  var SLOT_CLASS = "app-request-error-slot";

  // Said when the answer carries no explanation of ours (or there was no answer at all);
  // KEPT is added when a form was sent.
  var KEPT = " Your text is still in the form.";
  var FALLBACKS = {
    0: ["Case Board could not be reached", "Check your internet connection and try again."],
    401: ["You have been signed out",
          "This was not sent. Sign in again in a new tab, then come back and try again."],
    other: ["Sorry, there is a problem", "Something went wrong. Reload the page and try again."]
  };

  // The form that sent the request, or else the part of the page it would have updated.
  function anchorFor(detail) {
    var elt = detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    if (form && document.contains(form)) {
      return form;
    }
    var target = detail.target;
    if (target && target !== document.body && document.contains(target)) {
      return target;
    }
    return elt && document.contains(elt) ? elt : null;
  }

  function existingSlot(anchor) {
    var before = anchor && anchor.previousElementSibling;
    return before && before.classList.contains(SLOT_CLASS) ? before : null;
  }

  function slotFor(anchor) {
    var slot = existingSlot(anchor);
    if (!slot) {
      slot = document.createElement("div");
      slot.className = SLOT_CLASS;
      anchor.parentNode.insertBefore(slot, anchor);
    }
    return slot;
  }

  function blockFromAnswer(xhr) {
    var type = (xhr && xhr.getResponseHeader("Content-Type")) || "";
    if (!xhr || !xhr.responseText || type.indexOf("text/html") !== 0) {
      return null;
    }
    var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var block = answer.querySelector("[data-request-error]");
    return block ? document.importNode(block, true) : null;
  }

  function fallbackBlock(status, sentForm) {
    var words = FALLBACKS[status] || FALLBACKS.other;
    var block = document.createElement("div");
    block.className = "error-summary app-request-error";
    block.setAttribute("data-request-error", String(status));
    var title = document.createElement("h2");
    title.className = "error-summary__title";
    title.textContent = words[0];
    var message = document.createElement("p");
    message.className = "app-request-error__message";
    message.textContent = words[1] + (sentForm ? KEPT : "");
    block.appendChild(title);
    block.appendChild(message);
    if (status === 401) {
      var signIn = document.createElement("p");
      var link = document.createElement("a");
      link.href = "/auth/login";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "Sign in in a new tab (opens in new tab)";
      signIn.appendChild(link);
      block.appendChild(signIn);
    }
    return block;
  }

  function announce(text) {
    var region = document.getElementById("app-announcer");
    if (!region) {
      return;
    }
    // Emptied first, so that the same message twice in a row is announced twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function showError(event, status) {
    var detail = event.detail || {};
    var verb = ((detail.requestConfig && detail.requestConfig.verb) || "get").toLowerCase();
    var sentForm = verb !== "get";
    var anchor = anchorFor(detail);
    var block = blockFromAnswer(detail.xhr) || fallbackBlock(status, sentForm);
    block.setAttribute("tabindex", "-1");
    if (anchor && anchor.parentNode) {
      slotFor(anchor).replaceChildren(block);
    }
    // After sending a form, the person looks for its result: take them to it. While they
    // browse or type in a filter, focus stays where they are and the message is announced.
    if (sentForm && block.isConnected) {
      block.focus();
    }
    announce(block.textContent.replace(/\s+/g, " ").trim());
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    showError(event, xhr ? xhr.status : 0);
  });

  document.addEventListener("htmx:sendError", function (event) {
    showError(event, 0);
  });

  document.addEventListener("htmx:timeout", function (event) {
    showError(event, 0);
  });

  // A new attempt from the same place clears the old message.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var slot = existingSlot(anchorFor(event.detail || {}));
    if (slot) {
      slot.remove();
    }
  });
})();
