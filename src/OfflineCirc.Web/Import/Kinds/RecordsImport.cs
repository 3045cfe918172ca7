using FluentValidation;

namespace OfflineCirc.Web.Import.Kinds;

/// <summary>records: bibliographic records, keyed by the catalogue's own record number.</summary>
public sealed class RecordsImport : ImportKind<RecordsImport.Row>
{
    public sealed record Row(string? RecordId, string? Title, string? Author);

    private sealed class RowValidator : AbstractValidator<Row>
    {
        public RowValidator()
        {
            this.StopEachCellAtFirstError();
            RuleFor(r => r.RecordId).Required("record_id").Id("record_id");
            RuleFor(r => r.Title).Required("title").Code("title", 1000);
            RuleFor(r => r.Author).Code("author", 500);
        }
    }

    private static readonly RowValidator Rules = new();

    public override string Name => "records";

    public override IReadOnlyList<string> FilledTables => ["records"];

    public override IReadOnlyList<string> Columns { get; } = ["record_id", "title", "author"];

    public override string StageColumns => "record_id bigint, title text, author text";

    public override IReadOnlyList<(string Sql, string Label)> Keys { get; } = [("s.record_id::text", "record_id")];

    protected override IValidator<Row> Validator => Rules;

    protected override Row Read(string?[] c) => new(c[0], c[1], c[2]);

    protected override void Stage(StageWriter w, Row r)
    {
        w.Long(Values.Long(r.RecordId));
        w.Text(r.Title);
        w.Text(r.Author);
    }

    // Records are the shared catalogue: a library edits only those no other library's items or holds use.
    public override ImportBoundary Boundary { get; } = ImportBoundary.Rows(ImportBoundary.SharedRecord("record_id"));

    public override IEnumerable<string> Checks => [];

    public override Task<(long Inserted, long Updated)> MergeAsync(ImportCommands db, CancellationToken ct) => db.CountsAsync(ImportSql.Counted("""
        INSERT INTO records (id, title, author) SELECT s.record_id, s.title, s.author FROM import_stage s
        ON CONFLICT (id) DO UPDATE SET title = excluded.title, author = excluded.author
        """), ct);
}
