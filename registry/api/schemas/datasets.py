"""Response models of the open-data catalogue: the data sets with the metadata Korea's public data
portal lists for each, and each data set's dictionary of columns."""

from __future__ import annotations

from pydantic import Field

from registry.api.schemas.common import ApiModel, Timestamp


class DictionaryColumn(ApiModel):
    """One column of a data set's CSV."""

    column: str = Field(description="The column's name in the CSV (and, unless joined, its path in the API's JSON).",
                        examples=["programName"])  # fmt: skip
    name_ko: str = Field(description="The Korean column name, the CSV's header with headers=ko.",
                         examples=["지원사업명"])  # fmt: skip
    type: str = Field(description="integer, text, code, boolean, date, datetime, hash, address or list.",
                      examples=["text"])  # fmt: skip
    type_ko: str = Field(examples=["문자"])
    format: str | None = Field(description="How the CSV writes it, when not plain (YYYY-MM-DD for a day).")
    unit_ko: str | None = Field(description="원, 건, 명, 초 or 년; null when none.", examples=["원"])
    unit_en: str | None = Field(examples=["KRW"])
    meaning_ko: str
    meaning_en: str
    values: list[str] = Field(description="The codes a code column may hold; empty for other columns.")
    provenance: bool = Field(description="Written only with provenance=true.")
    joined: bool = Field(description="Joined in by the CSV (a name beside an id); not a field of the API's JSON.")


class DatasetInfo(ApiModel):
    """A data set of the catalogue, with the metadata data.go.kr lists."""

    name: str = Field(description="The data set's name, as in its paths and file names.", examples=["outcomes"])
    title_ko: str = Field(examples=["R&D 성과 목록"])
    title_en: str = Field(examples=["R&D outcomes"])
    description_ko: str
    description_en: str
    provider: str = Field(description="Who publishes it (RND_OPEN_DATA_PROVIDER).")
    licence: str = Field(description="The terms of use (RND_OPEN_DATA_LICENCE).")
    update_cycle_ko: str = Field(examples=["실시간"])
    update_cycle_en: str = Field(examples=["real time"])
    keywords_ko: list[str]
    keywords_en: list[str]
    last_updated: Timestamp | None = Field(
        description="The time of the last block that held a registry event in the copy; null while it holds none."
    )
    indexed_block: int | None = Field(description="Every event up to this block is in the copy.")
    formats: list[str] = Field(examples=[["csv", "json"]])
    list_path: str = Field(description="The paged list in this API.", examples=["/api/v1/outcomes"])
    export_path: str = Field(description="The whole data set, CSV or JSON.", examples=["/api/v1/outcomes/export"])
    dictionary_path: str = Field(examples=["/api/v1/datasets/outcomes/dictionary"])
    columns: int = Field(description="Columns of the CSV with every option (provenance included).")


class Catalogue(ApiModel):
    """Every data set the API publishes."""

    provider: str
    licence: str
    last_updated: Timestamp | None
    indexed_block: int | None
    datasets: list[DatasetInfo]


class DataDictionary(ApiModel):
    """The columns of one data set's CSV, in order, as written with provenance=true."""

    dataset: str = Field(examples=["outcomes"])
    title_ko: str
    title_en: str
    columns: list[DictionaryColumn]
