/*
 * Case Board's own script: where focus goes and what is announced after each htmx swap, and
 * what the person is told when an htmx request fails.
 *
 * After a swap: the server decides, because only it knows what the answer was. Its answer
 * carries an HX-Trigger-After-Settle header naming the event "app:swapped" with a CSS selector
 * to focus and words to announce (board/htmx.py, after_swap). htmx fires that event
 * once the new content is settled in the page, on the element that made the request or, when
 * that element was replaced, on <body>; it bubbles to document, where this script listens.
 * So, for example: a comment posted in place takes focus and "Comment posted" is announced; a
 * reaction's button that was swapped gets focus back and its result is announced; an opened
 * reply form puts focus in its text box. An answer with errors carries no such header: its
 * GOV.UK Error summary takes focus itself (govuk-init.js starts it) and is announced.
 *
 * When a request fails:
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

  // Said when the answer carries no explanation of ours (or there was no answer at all), in
  // the page's language: the words are the data attributes of #app-announcer (base.html).
  // "kept" is added when a form was sent.
  function words(name) {
    var region = document.getElementById("app-announcer");
    return (region && region.getAttribute("data-" + name)) || "";
  }

  var FALLBACKS = {
    0: ["unreachable-title", "unreachable-message"],
    401: ["signed-out-title", "signed-out-message"],
    other: ["other-title", "other-message"]
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

  // The GOV.UK Error summary's markup (without its role="alert": the message is announced
  // through #app-announcer, once).
  function fallbackBlock(status, sentForm) {
    var said = FALLBACKS[status] || FALLBACKS.other;
    var block = document.createElement("div");
    block.className = "govuk-error-summary app-request-error";
    block.setAttribute("data-request-error", String(status));
    var title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = words(said[0]);
    var body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    var message = document.createElement("p");
    message.className = "govuk-body app-request-error__message";
    message.textContent = words(said[1]) + (sentForm ? " " + words("kept") : "");
    body.appendChild(message);
    if (status === 401) {
      var signIn = document.createElement("p");
      signIn.className = "govuk-body";
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = "/auth/login";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = words("sign-in-link");
      signIn.appendChild(link);
      body.appendChild(signIn);
    }
    block.appendChild(title);
    block.appendChild(body);
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

  // Focus and announcement after a swap, as the server's answer said (see the top).
  document.addEventListener("app:swapped", function (event) {
    var detail = event.detail || {};
    var target = detail.focus ? document.querySelector(detail.focus) : null;
    if (target) {
      if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, input, select, textarea")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
    if (detail.announce) {
      announce(detail.announce);
    }
  });

  // The header's "Cymraeg" / "English" returns to the page as it is now: when htmx puts a new
  // address in the history (the board's filters), the switch follows it.
  function keepLanguageSwitchOnThisPage() {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll(".app-language-switch__link").forEach(function (link) {
      var address = new URL(link.getAttribute("href"), window.location.href);
      address.searchParams.set("next", here);
      link.setAttribute("href", address.pathname + address.search);
    });
    document.querySelectorAll(".app-language-switch__form input[name=next]").forEach(function (input) {
      input.value = here;
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", keepLanguageSwitchOnThisPage);
  document.addEventListener("htmx:replacedInHistory", keepLanguageSwitchOnThisPage);

  // A new attempt from the same place clears the old message.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var slot = existingSlot(anchorFor(event.detail || {}));
    if (slot) {
      slot.remove();
    }
  });
})();
