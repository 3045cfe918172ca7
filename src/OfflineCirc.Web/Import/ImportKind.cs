using FluentValidation;

namespace OfflineCirc.Web.Import;

/// <summary>One kind of reference data: its columns, its validator, its staging table, its checks and its merge.</summary>
public abstract class ImportKind
{
    public abstract string Name { get; }

    /// <summary>The header of the file, in the documented order.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>How each row stays inside the importer's libraries; abstract, so a new kind has to say.</summary>
    public abstract ImportBoundary Boundary { get; }

    /// <summary>Rows of kinds that belong to no org unit (patron profiles) change the whole consortium.</summary>
    public bool ConsortiumOnly => Boundary.ConsortiumOnly;

    /// <summary>Staging columns after row_no, in the order <see cref="Stage"/> writes them.</summary>
    public abstract string StageColumns { get; }

    /// <summary>Unique keys of a row, as SQL over the staging row "s" with a label: a key may appear once per file.</summary>
    public abstract IReadOnlyList<(string Sql, string Label)> Keys { get; }

    /// <summary>Queries returning (row_no, message) for rows whose references do not resolve; run after <see cref="Boundary"/>.</summary>
    public abstract IEnumerable<string> Checks { get; }

    /// <summary>Queries run after the merge, before commit (e.g. loops in the org tree); same shape as <see cref="Checks"/>.</summary>
    public virtual IEnumerable<string> PostChecks => [];

    /// <summary>Validates the cells (format only) and, when they are good, writes the row to the staging COPY.</summary>
    public abstract IReadOnlyList<string> ValidateAndStage(string?[] cells, StageWriter? stage);

    public abstract Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct);

    /// <summary>
    /// The large tables the merge fills, which the import vacuums and analyzes after its commit when it changed a tenth
    /// of their rows (docs/adr-018, findings 73 and 78); none for the small reference tables.
    /// </summary>
    public virtual IReadOnlyList<string> FilledTables => [];
}

/// <summary>Typed base: cells become a row object that a FluentValidation validator checks before it is staged.</summary>
public abstract class ImportKind<TRow> : ImportKind
{
    protected abstract IValidator<TRow> Validator { get; }

    protected abstract TRow Read(string?[] cells);

    protected abstract void Stage(StageWriter w, TRow row);

    public override IReadOnlyList<string> ValidateAndStage(string?[] cells, StageWriter? stage)
    {
        var row = Read(cells);
        var result = Validator.Validate(row);
        if (!result.IsValid)
        {
            return result.Errors.Select(e => e.ErrorMessage).Distinct().ToList();
        }
        if (stage is not null)
        {
            Stage(stage, row);
        }
        return [];
    }
}

/// <summary>SQL pieces shared by the kinds.</summary>
public static class ImportSql
{
    /// <summary>Counts of an INSERT ... ON CONFLICT ... RETURNING (xmax = 0) AS inserted.</summary>
    public static string Counted(string upsert) => $"""
        WITH m AS ({upsert} RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM m
        """;
}
