/* Open the reply form under the comment being answered. Optional: without JavaScript the
   "Reply" link reloads the page with ?replyto=<id> and the form comes back in place. */
document.addEventListener("click", function (e) {
  var a = e.target.closest && e.target.closest('#comments a[href^="?replyto="]'),
    f = document.querySelector("#comments .comment-form");
  if (!a || !f) return;
  e.preventDefault();
  f.elements.parent.value = a.getAttribute("href").replace(/\D/g, "");
  a.parentNode.after(f);
  f.elements.body.focus();
});
