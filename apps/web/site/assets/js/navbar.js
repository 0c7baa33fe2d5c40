// The home page's only behaviour: the hamburger button shows or hides the links on small
// screens (the variants' app.js does the same with the quickstart's toggleNavbar).
const toggle = document.getElementById("toggle-navbar");
const links = document.getElementById("example-collapse-navbar");
if (toggle && links) {
  toggle.addEventListener("click", () => {
    links.classList.toggle("hidden");
    links.classList.toggle("block");
  });
}
