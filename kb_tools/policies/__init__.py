"""本局文件: the bureau's own policy documents (model, loader, pages, checks, import)."""
