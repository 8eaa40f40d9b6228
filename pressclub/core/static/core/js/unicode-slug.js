/* The admin's slug field, filled from the title as the editor types, follows the server's rule
   (pressclub.core.text.slugify): runs of letters, combining marks and digits (Unicode L, M, N),
   lower-cased and NFC-normalised, joined by single hyphens, at most 200 characters. Wagtail's own
   Unicode slugify keeps letters and digits but drops combining marks, so Devanagari and Bengali
   titles lost every vowel sign and virama ("समदयक" for "सामुदायिक"). This replaces its "w-slug"
   controller with a subclass whose slugify and urlify use that rule when Unicode slugs are allowed. */
(function () {
  "use strict";
  var app = window.wagtail && window.wagtail.app;
  var module = app && app.router.modulesByIdentifier.get("w-slug");
  if (!module) return;
  var Base = module.definition.controllerConstructor;
  var RUN = /[\p{L}\p{M}\p{N}]+/gu;
  var LEADING_MARK = /^\p{M}$/u;

  function unicodeSlug(value) {
    var parts = (value || "").normalize("NFC").toLowerCase().match(RUN) || [];
    var kept = parts.filter(function (part) { return !(LEADING_MARK.test(part[0]) && part.length === 1); });
    return kept.join("-").slice(0, 200).replace(/^-+|-+$/g, "");
  }

  class UnicodeSlugController extends Base {
    clean(action, event, options) {
      var opts = options || {};
      var ignoreUpdate = Boolean(opts.ignoreUpdate);
      var runFormat = opts.runFormat === undefined ? !ignoreUpdate : opts.runFormat;
      var detail = (event && event.detail) || {};
      var source = detail.value === undefined ? this.element.value : detail.value;
      var prepared = this.prepareValue(source, { runFormat: runFormat });
      if (!prepared) return "";
      var slug = unicodeSlug(prepared);
      if (!ignoreUpdate) this.applyUpdate(action, slug, source);
      return slug;
    }

    slugify(event, options) {
      return this.allowUnicodeValue ? this.clean("slugify", event, options) : super.slugify(event, options);
    }

    urlify(event, options) {
      return this.allowUnicodeValue ? this.clean("urlify", event, options) : super.urlify(event, options);
    }
  }

  app.register("w-slug", UnicodeSlugController);
})();
