/* 法规知识库: "复制引用" copies 《法规名称》第N条 and the article's address. No network access. */
(function () {
  "use strict";

  function articleUrl(anchor) {
    var url = new URL(window.location.href);
    url.hash = anchor;
    // Decode so that a Chinese path stays readable when pasted into an OA message.
    try { return decodeURI(url.href); } catch (e) { return url.href; }
  }

  function readable(href) {
    try { return decodeURI(href); } catch (e) { return href; }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Intranet sites are often plain http, where the async clipboard API is unavailable.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy refused")); }
      catch (e) { reject(e); }
      finally { document.body.removeChild(area); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".kb-copy");
    if (!button) { return; }
    // On a law page the button names its anchor; elsewhere (the results page) the whole address.
    var href = button.getAttribute("data-href");
    var text = button.getAttribute("data-cite") + " " + (href ? readable(href) : articleUrl(button.getAttribute("data-anchor")));
    button.setAttribute("data-copied-text", text);
    copyText(text).then(function () {
      button.classList.add("kb-copied");
      button.textContent = "已复制";
      setTimeout(function () { button.classList.remove("kb-copied"); button.textContent = "复制引用"; }, 1800);
    }, function () {
      window.prompt("请复制以下引用：", text);
    });
  });

  // On paper a link is useless unless its address is printed: reading packs show it after the
  // link text (print.css), as a readable absolute address.
  function markPrintedLinks() {
    var links = document.querySelectorAll(".kb-pack a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (!href || href.charAt(0) === "#") { continue; }
      var absolute = links[i].href;
      try { absolute = decodeURI(absolute); } catch (e) { /* keep it encoded */ }
      links[i].setAttribute("data-kb-href", absolute);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markPrintedLinks);
  } else {
    markPrintedLinks();
  }
})();
