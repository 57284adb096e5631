// Accessible names for a few of Redoc's buttons, inlined into the reference pages by the build.
// - A button whose aria-label leaves out its visible text (a "Response media type" button that
//   shows "application/json") gets a label that starts with that text (WCAG 2.5.3, label in name).
// - An icon-only button with no name gets one from its icon ("CloseIcon" gives "Close"; the
//   search box's clear button is "Clear the search").
(() => {
  function fix() {
    var buttons = document.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      var text = (b.textContent || "").replace(/\s+/g, " ").trim();
      var label = b.getAttribute("aria-label");
      if (label && text && label.toLowerCase().indexOf(text.toLowerCase()) < 0) b.setAttribute("aria-label", `${text}, ${label}`);
      else if (!label && !text && !b.getAttribute("aria-labelledby") && !b.getAttribute("title")) {
        var icon = b.querySelector("[data-component-name^='icons/']");
        var name = icon
          ? icon
              .getAttribute("data-component-name")
              .split("/")
              .pop()
              .replace(/(Filled|Outlined)?Icon$/, "")
              .replace(/([a-z])([A-Z])/g, "$1 $2")
          : "";
        if (name === "Close" && b.closest("[data-component-name='Search/SearchInput']")) name = "Clear the search";
        if (name) b.setAttribute("aria-label", name);
      }
    }
  }
  new MutationObserver(fix).observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-label"],
  });
  fix();
})();
