"""The MkDocs glue: plugin options (``config``), thin event hooks (``plugin``), file handling
(``files``) and staged output (``staging``). The only package that imports ``mkdocs``."""
