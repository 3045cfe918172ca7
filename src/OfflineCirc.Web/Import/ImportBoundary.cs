namespace OfflineCirc.Web.Import;

/// <summary>
/// How the rows of one kind stay inside the importer's libraries (@scope, null for the whole consortium). Every kind must
/// declare one (<see cref="ImportKind.Boundary"/> is abstract); its checks run before the kind's own checks, for every
/// importer. A reference to another library's patron or item gets the same sentence as one to nothing at all, so an
/// import never tells which barcodes exist elsewhere.
/// </summary>
public sealed class ImportBoundary
{
    private ImportBoundary(bool consortiumOnly, IReadOnlyList<string> checks)
    {
        ConsortiumOnly = consortiumOnly;
        Checks = checks;
    }

    /// <summary>Rows that belong to no library (patron profiles) change every library: only a consortium administrator imports them.</summary>
    public bool ConsortiumOnly { get; }

    /// <summary>Queries returning (row_no, message) for rows that reach outside @scope.</summary>
    public IReadOnlyList<string> Checks { get; }

    public static readonly ImportBoundary SharedByAll = new(true, []);

    /// <summary>Rows checked by <paramref name="rules"/>; a kind that names no rule is a mistake, not an open door.</summary>
    public static ImportBoundary Rows(params IEnumerable<string>[] rules)
    {
        var checks = rules.SelectMany(r => r).ToList();
        if (checks.Count == 0)
        {
            throw new ArgumentException("An import kind must say how its rows stay inside the importer's libraries.", nameof(rules));
        }
        return new ImportBoundary(false, checks);
    }

    /// <summary>The named org unit must exist and lie in the subtree (org units themselves are no secret).</summary>
    public static IEnumerable<string> Org(string column, string label)
    {
        yield return $"""
            SELECT s.row_no, format('{label} %L is not a known library', s.{column}) FROM import_stage s
            WHERE s.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_units o WHERE o.short_name = s.{column})
            """;
        yield return $"""
            SELECT s.row_no, format('{label} %L is outside your libraries', s.{column}) FROM import_stage s
            JOIN org_units o ON o.short_name = s.{column}
            WHERE @scope IS NOT NULL AND NOT starts_with(o.path, @scope)
            """;
    }

    /// <summary>The item named by barcode must be owned in the subtree; unknown and outside read alike.</summary>
    public static IEnumerable<string> Item(string column, string label)
    {
        yield return $"""
            SELECT s.row_no, CASE WHEN @scope IS NULL THEN format('{label} %L is not a known item', s.{column})
                ELSE format('{label}: no item with barcode %L in your libraries', s.{column}) END
            FROM import_stage s
            WHERE s.{column} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM items i JOIN org_units o ON o.id = i.owning_org_id
                WHERE i.barcode = s.{column} AND (@scope IS NULL OR starts_with(o.path, @scope)))
            """;
    }

    /// <summary>The patron named by a card must be homed in the subtree; unknown and outside read alike.</summary>
    public static IEnumerable<string> Patron(string column, string label)
    {
        yield return $"""
            SELECT s.row_no, CASE WHEN @scope IS NULL THEN format('{label} %L is not a known patron card', s.{column})
                ELSE format('{label}: no patron with card %L in your libraries', s.{column}) END
            FROM import_stage s
            WHERE s.{column} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM cards c JOIN patrons p ON p.id = c.patron_id JOIN org_units o ON o.id = p.home_org_id
                WHERE c.barcode = s.{column} AND (@scope IS NULL OR starts_with(o.path, @scope)))
            """;
    }

    /// <summary>
    /// A row keyed by a unique name that another library already holds would take it over. The key is unique across
    /// the consortium, so the refusal cannot hide that it is taken; it does not say by whom.
    /// </summary>
    public static IEnumerable<string> Owned(string what, string keySql, string joinSql)
    {
        yield return $"""
            SELECT s.row_no, format('{what} %L belongs to a library outside yours', {keySql})
            FROM import_stage s {joinSql}
            WHERE @scope IS NOT NULL AND NOT starts_with(o.path, @scope)
            """;
    }

    /// <summary>A card (as a key) held by a patron homed outside the subtree.</summary>
    public static IEnumerable<string> CardKey(string column, string label) => Owned(label, $"s.{column}",
        $"JOIN cards c ON c.barcode = s.{column} JOIN patrons p ON p.id = c.patron_id JOIN org_units o ON o.id = p.home_org_id");

    /// <summary>A record used by an item or a hold outside the subtree is shared: only the consortium changes it.</summary>
    public static IEnumerable<string> SharedRecord(string column)
    {
        yield return $"""
            SELECT s.row_no, format('record_id %s is also used by libraries outside yours; only a consortium administrator can change it', s.{column})
            FROM import_stage s
            WHERE @scope IS NOT NULL AND (
                EXISTS (SELECT 1 FROM items i JOIN org_units o ON o.id = i.owning_org_id
                        WHERE i.record_id = s.{column} AND NOT starts_with(o.path, @scope))
                OR EXISTS (SELECT 1 FROM holds h JOIN patrons p ON p.id = h.patron_id JOIN org_units o ON o.id = p.home_org_id
                           WHERE h.target_record_id = s.{column} AND NOT starts_with(o.path, @scope)))
            """;
    }

    /// <summary>An item of the subtree whose open loan belongs to a patron or desk outside it (a loan to another library).</summary>
    public static IEnumerable<string> OpenLoan(string column, string label)
    {
        yield return $"""
            SELECT s.row_no, format('{label} %L is on loan through a library outside yours; only a consortium administrator can change that loan', s.{column})
            FROM import_stage s JOIN items i ON i.barcode = s.{column} JOIN org_units io ON io.id = i.owning_org_id
            JOIN circulations c ON c.item_id = i.id AND c.checkin_time IS NULL
            JOIN patrons p ON p.id = c.patron_id JOIN org_units po ON po.id = p.home_org_id
            LEFT JOIN org_units co ON co.id = c.checkout_org_id
            WHERE @scope IS NOT NULL AND starts_with(io.path, @scope)
              AND (NOT starts_with(po.path, @scope) OR NOT starts_with(COALESCE(co.path, po.path), @scope))
            """;
    }
}
