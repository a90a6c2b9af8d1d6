import { localize, pageLocale } from "./i18n.js";

localize(pageLocale()).finally(() => { document.body.dataset.ready = "true"; });
