"""Hostile input for the XSS tests: script tags, event handlers, javascript: URLs, SVG and
MathML, encoded variants and Markdown link tricks.

Every payload, if it ever ran, would open a dialog (alert, confirm, prompt) or log MARKER to the
console; the tests listen for both.
"""

MARKER = "XSS-RAN"

SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    f'<script>console.log("{MARKER}")</script>',
    '<script src="data:text/javascript,alert(3)"></script>',
    "<scr<script>ipt>alert(4)</scr</script>ipt>",
    "<script/x>alert(5)</script>",
    "<script\n>alert(6)</script\n>",
    "<<script>alert(7);//<</script>",
    "<script>/*</script><script>*/alert(8)</script>",
    '<script type="module">alert(9)</script>',
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(10)>",
    '<img src="x" onerror="alert(11)">',
    "<IMG SRC=x ONERROR=alert(12)>",
    "<img src=x onerror=alert`13`>",
    "<svg onload=alert(14)>",
    "<svg/onload=alert(15)>",
    "<body onload=alert(16)>",
    '<iframe onload="alert(17)"></iframe>',
    "<input autofocus onfocus=alert(18)>",
    "<details open ontoggle=alert(19)>",
    "<video><source onerror=alert(20)></video>",
    "<audio src=x onerror=alert(21)>",
    "<select autofocus onfocus=alert(22)></select>",
    "<textarea autofocus onfocus=alert(23)></textarea>",
    "<marquee onstart=alert(24)>x</marquee>",
    "<div onpointerenter=alert(25) style=position:fixed;inset:0>x</div>",
    '<a href="#" onclick="alert(26)" id="xss-click">click</a>',
    "<object data=x onerror=alert(27)></object>",
    "<style onload=alert(28)></style>",
    "<link rel=stylesheet href=x onerror=alert(29)>",
]

URLS = [
    '<a href="javascript:alert(30)">x</a>',
    '<a href="JaVaScRiPt:alert(31)">x</a>',
    '<a href="&#106;avascript:alert(32)">x</a>',
    '<a href="javascript&#58;alert(33)">x</a>',
    '<a href="  javascript:alert(34)">x</a>',
    '<a href="java\tscript:alert(35)">x</a>',
    '<iframe src="javascript:alert(36)"></iframe>',
    '<iframe srcdoc="<script>alert(37)</script>"></iframe>',
    '<object data="javascript:alert(38)"></object>',
    '<embed src="javascript:alert(39)">',
    '<form action="javascript:alert(40)"><button id="xss-submit">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(41)">',
    '<base href="javascript:alert(42)//">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0Myk8L3NjcmlwdD4=">x</a>',
    '<a href="vbscript:msgbox(44)">x</a>',
    '<math href="javascript:alert(45)">x</math>',
]

SVG_AND_MATHML = [
    "<svg><script>alert(46)</script></svg>",
    "<svg><animate onbegin=alert(47) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(48)"><text y="20">x</text></a></svg>',
    "<svg><set onbegin=alert(49) attributeName=x to=1>",
    '<svg><foreignObject><img src=x onerror="alert(50)"></foreignObject></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(51)>",
    "<svg><style><img src=x onerror=alert(52)></style></svg>",
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(53)>#x"></use></svg>',
    '<noscript><p title="</noscript><img src=x onerror=alert(54)>"></noscript>',
    '<template><img src=x onerror="alert(55)"></template>',
]

ENCODED = [
    "&lt;script&gt;alert(56)&lt;/script&gt;",
    "%3Cscript%3Ealert(57)%3C/script%3E",
    "\\u003cscript\\u003ealert(58)\\u003c/script\\u003e",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(59)>",
    '<img src=x onerror="&#x61;lert(60)">',
    "<img src=x onerror=\\u0061lert(61)>",
    "&#60;script&#62;alert(62)&#60;/script&#62;",
    "<img src=x onerror=eval(atob('YWxlcnQoNjMp'))>",
    "\uff1cscript\uff1ealert(64)\uff1c/script\uff1e",  # full-width angle brackets
    "<scr\tipt>alert(65)</scr\tipt>",
]

MARKDOWN = [
    "[x](javascript:alert(66))",
    "[x](JAVASCRIPT:alert(67))",
    "[x](javascript&#58;alert(68))",
    "[x](&#106;avascript:alert(69))",
    "[x](<javascript:alert(70)>)",
    "<javascript:alert(71)>",
    "[x][evil]\n\n[evil]: javascript:alert(72)",
    '![x](x" onerror="alert(73))',
    '[x](https://example.com" onclick="alert(74))',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCg3NSk8L3NjcmlwdD4=)",
    "![x](javascript:alert(76))",
    "[x](vbscript:msgbox(77))",
    "`<script>alert(78)</script>`",
    "```html\n<script>alert(79)</script>\n```",
    "[<img src=x onerror=alert(80)>](https://example.com)",
    "[x](https://example.com 'a\" onmouseover=\"alert(81)')",
    '<https://example.com/"onmouseover="alert(82)>',
    "**<img src=x onerror=alert(83)>**",
    "> <script>alert(84)</script>",
    "- [x](javascript:alert(85))",
]

BREAKOUTS = [
    '"><script>alert(86)</script>',
    "'><img src=x onerror=alert(87)>",
    "</title><script>alert(88)</script>",
    "</textarea><script>alert(89)</script>",
    "</style><script>alert(90)</script>",
    "--><script>alert(91)</script>",
    "</script><script>alert(92)</script>",
    '" autofocus onfocus="alert(93)',
    "' autofocus onfocus='alert(94)",
    '"><svg onload=alert(95)>',
    "]]><script>alert(96)</script>",
    '</option></select><img src=x onerror="alert(97)">',
    '<!--<img src="--><img src=x onerror=alert(98)//">',
    '<div id="x" hx-get="/" hx-trigger="load" hx-on::load="alert(99)">x</div>',
    '<div hx-on:click="alert(100)" id="xss-hx">click</div>',
    '<a hx-get="javascript:alert(101)" hx-trigger="load">x</a>',
    "{{ config }}{% raw %}<script>alert(102)</script>",
    "javascript:alert(103)",
]

PAYLOADS = SCRIPT_TAGS + EVENT_HANDLERS + URLS + SVG_AND_MATHML + ENCODED + MARKDOWN + BREAKOUTS
