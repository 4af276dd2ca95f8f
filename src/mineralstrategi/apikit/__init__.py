"""The kit every app's part of the JSON API is built with: declared error answers and typed
inputs (`responses`), bounded pagination (`pagination`). Shared by the domain apps and the `api`
face, which only assembles the routers, so that no domain app imports a face."""
