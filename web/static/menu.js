// The menu's button on narrow screens: it shows and hides the menu (web.css folds the menu only
// when this script has marked the page, so without JavaScript the menu is simply always shown).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button.menu-toggle") : null;
  if (button) {
    button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  }
});
document.addEventListener("keydown", function (event) {
  var button = document.querySelector('button.menu-toggle[aria-expanded="true"]');
  if (event.key === "Escape" && button) {
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
});
