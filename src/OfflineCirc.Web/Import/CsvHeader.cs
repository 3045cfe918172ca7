namespace OfflineCirc.Web.Import;

/// <summary>Checks the header row (row 1) against a kind's columns and maps each column to its position in the file.</summary>
public static class CsvHeader
{
    /// <summary>Positions of the kind's columns in the file, or null (with errors) when the header is not right.</summary>
    public static int[]? Map(ImportKind kind, IReadOnlyList<string> header, RowErrors errors)
    {
        var names = header.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        if (names.Count == 0 || names.All(n => n.Length == 0))
        {
            errors.Add(1, $"the file is empty; the first line must be the header: {string.Join(",", kind.Columns)}");
            return null;
        }
        var before = errors.Count;
        foreach (var group in names.Where(n => n.Length > 0).GroupBy(n => n).Where(g => g.Count() > 1))
        {
            errors.Add(1, $"column '{group.Key}' appears more than once in the header");
        }
        foreach (var name in names.Where(n => !kind.Columns.Contains(n)))
        {
            errors.Add(1, name.Length == 0
                ? "the header has an empty column name"
                : $"unknown column '{name}'; the columns of {kind.Name} are: {string.Join(", ", kind.Columns)}");
        }
        var map = new int[kind.Columns.Count];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = names.IndexOf(kind.Columns[i]);
            if (map[i] < 0)
            {
                errors.Add(1, $"missing column '{kind.Columns[i]}'");
            }
        }
        return errors.Count == before ? map : null;
    }
}
