"""Citations: finding and resolving 《…》第N条 mentions (``resolver``), the cited-by graph
(``graph``) and the 引用关系 pages (``pages``)."""
