"""PDFs made once by the task worker and kept, never in a web process per request.

A page that offers a PDF renders the HTML to print (cheap) and asks `services.printed` for the
document of exactly that HTML: a fingerprint of the HTML, its style sheets and the release keys
it. The first request queues the making and gets a page that says the PDF is being made (HTTP
202, reloading itself); the worker makes it with WeasyPrint and keeps the file in the default
storage; from then on everyone who asks for the same HTML is given the file. When the HTML
changes (an edit, another language, the printed date of another day), the next request makes a
new document, and the old one of the same thing is deleted once the new one is there.

So an anonymous visitor can cost the server at most one PDF per thing, language and day, however
often and from however many addresses they ask (issue #18's bound on anonymous cost); a web
worker never spends seconds in WeasyPrint.
"""
