"""The demo data set: the 2021 Incheon R&D programs of the seed article, with fictional companies and
their projects, loaded onto a local chain so that every page and every check has something real to show."""
