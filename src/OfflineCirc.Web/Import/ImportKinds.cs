using OfflineCirc.Web.Import.Kinds;

namespace OfflineCirc.Web.Import;

/// <summary>Every kind of reference data, in the order a full load needs them (a kind only refers to earlier ones).</summary>
public static class ImportKinds
{
    public static readonly IReadOnlyList<ImportKind> All =
    [
        new OrgUnitsImport(),
        new ClosingsImport(),
        new ProfilesImport(),
        new PatronsImport(),
        new CardsImport(),
        new RecordsImport(),
        new ItemsImport(),
        new PoliciesImport(),
        new NoncatTypesImport(),
        new WorkstationsImport(),
        new CirculationsImport(),
        new BillingsImport(),
        new HoldsImport(),
    ];

    public static ImportKind? Find(string? name) =>
        All.FirstOrDefault(k => string.Equals(k.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>File name of a kind in a full load, e.g. "07-items.csv": the number gives the order.</summary>
    public static string FileName(ImportKind kind) => $"{IndexOf(kind) + 1:00}-{kind.Name}.csv";

    private static int IndexOf(ImportKind kind)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (ReferenceEquals(All[i], kind))
            {
                return i;
            }
        }
        return -1;
    }
}
