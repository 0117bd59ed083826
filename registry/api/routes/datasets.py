"""`/api/v1/datasets`: the open-data catalogue, in the manner of Korea's public data portal: every data
set the API exports with its provider, licence, update cycle, keywords and when it last changed, and
each data set's dictionary (column, Korean name, type, unit, meaning in Korean and English); JSON, or
CSV like the exports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from registry.api.datasets import DATASETS, KIND_FORMATS, KIND_TYPES, Dataset
from registry.api.deps import ApiContext, Context
from registry.api.dictionary import CATALOGUE_HEADERS, DICTIONARY_HEADERS
from registry.api.errors import NotFound
from registry.api.exports import CsvEncoding, CsvHeaders, EncodingQuery, ExportFormat, HeadersQuery, model_csv
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, from_unix
from registry.api.schemas.datasets import Catalogue, DataDictionary, DatasetInfo, DictionaryColumn
from registry.store.queries.freshness import Freshness, freshness

router = APIRouter(prefix="/api/v1/datasets", tags=["open data"])

UPDATE_CYCLE = ("실시간 (체인의 블록마다 색인)", "real time (indexed block by block from the chain)")

Format = Annotated[ExportFormat, Query(alias="format", description="json (the default) or csv.")]
DatasetName = Annotated[
    str,
    Path(
        alias="dataset",
        description="The data set's name, as the catalogue lists it.",
        examples=["outcomes"],
        json_schema_extra={"enum": list(DATASETS)},
    ),
]


def _csv_content(what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": f"{what}: JSON, or a CSV file with format=csv.",
                  "content": {"text/csv": {"schema": {"type": "string"}}}}}  # fmt: skip


def _dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise NotFound(f"dataset: no data set {name!r}; the catalogue has {', '.join(DATASETS)}", parameter="dataset")
    return DATASETS[name]


def _info(dataset: Dataset, context: ApiContext, found: Freshness) -> DatasetInfo:
    settings = context.settings
    return DatasetInfo(
        name=dataset.name, title_ko=dataset.title_ko, title_en=dataset.title_en,
        description_ko=dataset.description_ko, description_en=dataset.description_en,
        provider=settings.open_data_provider, licence=settings.open_data_licence,
        update_cycle_ko=UPDATE_CYCLE[0], update_cycle_en=UPDATE_CYCLE[1],
        keywords_ko=list(dataset.keywords_ko), keywords_en=list(dataset.keywords_en),
        last_updated=_time(found), indexed_block=found.indexed_block, formats=[f.value for f in ExportFormat],
        list_path=dataset.list_path, export_path=dataset.export_path,
        dictionary_path=f"{router.prefix}/{dataset.name}/dictionary", columns=len(dataset.all_columns()),
    )  # fmt: skip


def _time(found: Freshness) -> datetime | None:
    return None if found.event_time is None else from_unix(found.event_time)


async def _freshness(context: ApiContext) -> Freshness:
    def read() -> Freshness:
        with context.snapshot() as reader:
            return freshness(reader)

    return await context.read(read)


def dictionary_of(dataset: Dataset) -> DataDictionary:
    """The columns of `dataset`'s CSV with every option, each with its dictionary entry."""
    columns = []
    for column in dataset.all_columns():
        described = dataset.entry(column)
        if described is None:  # tests/api/test_datasets.py keeps this from happening
            raise LookupError(f"{dataset.name}: column {column.name} has no data dictionary entry")
        type_en, type_ko = KIND_TYPES[column.kind]
        columns.append(
            DictionaryColumn(
                column=column.name, name_ko=described.ko, type=type_en, type_ko=type_ko,
                format=KIND_FORMATS.get(column.kind), unit_ko=described.unit.ko if described.unit else None,
                unit_en=described.unit.en if described.unit else None, meaning_ko=described.meaning_ko,
                meaning_en=described.meaning_en, values=list(column.codes),
                provenance=column.provenance and column.name not in dataset.kept, joined=column.joined is not None,
            )
        )  # fmt: skip
    return DataDictionary(dataset=dataset.name, title_ko=dataset.title_ko, title_en=dataset.title_en, columns=columns)


@router.get(
    "",
    response_model=Catalogue,
    summary="The open-data catalogue: every data set, with provider, licence, update cycle and keywords",
    description="Every data set the API exports (its list, its CSV or JSON export, its data dictionary), with the "
    "metadata Korea's public data portal lists. `lastUpdated` is the time of the last block that held a registry "
    "event. With format=csv, one row per data set (encoding and headers as the exports take them).",
    responses={**_csv_content("The catalogue"), **ERROR_RESPONSES},
)
async def catalogue(
    context: Context,
    export_format: Format = ExportFormat.JSON,
    encoding: EncodingQuery = CsvEncoding.UTF8,
    headers: HeadersQuery = CsvHeaders.API,
) -> Any:
    found = await _freshness(context)
    infos = [_info(dataset, context, found) for dataset in DATASETS.values()]
    if export_format is ExportFormat.CSV:
        return model_csv(infos, DatasetInfo, CATALOGUE_HEADERS, name="datasets", encoding=encoding, headers=headers)
    settings = context.settings
    return Catalogue(provider=settings.open_data_provider, licence=settings.open_data_licence,
                     last_updated=_time(found), indexed_block=found.indexed_block, datasets=infos)  # fmt: skip


@router.get(
    "/{dataset}",
    response_model=DatasetInfo,
    summary="One data set of the catalogue",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def dataset_info(context: Context, name: DatasetName) -> DatasetInfo:
    dataset = _dataset(name)
    return _info(dataset, context, await _freshness(context))


@router.get(
    "/{dataset}/dictionary",
    response_model=DataDictionary,
    summary="The data dictionary of a data set: each CSV column's Korean name, type, unit and meaning",
    description="The columns of the data set's CSV export in order, as written with provenance=true (`provenance` "
    "marks the columns only that option adds; `joined`, the names joined in beside an id). With format=csv, one row "
    "per column.",
    responses={**_csv_content("The dictionary"), **NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def data_dictionary(
    name: DatasetName,
    export_format: Format = ExportFormat.JSON,
    encoding: EncodingQuery = CsvEncoding.UTF8,
    headers: HeadersQuery = CsvHeaders.API,
) -> Response | DataDictionary:
    dictionary = dictionary_of(_dataset(name))
    if export_format is ExportFormat.CSV:
        return model_csv(dictionary.columns, DictionaryColumn, DICTIONARY_HEADERS, name=f"{name}-dictionary",
                         encoding=encoding, headers=headers)  # fmt: skip
    return dictionary
