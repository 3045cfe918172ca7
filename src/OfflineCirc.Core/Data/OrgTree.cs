using Microsoft.EntityFrameworkCore;

namespace OfflineCirc.Core.Data;

public static class OrgTree
{
    /// <summary>Rebuilds every org unit's materialised path ("/1/3/7/") from the parent links.</summary>
    public const string RecomputePathsSql = """
        WITH RECURSIVE tree AS (
            SELECT id, '/' || id || '/' AS path FROM org_units WHERE parent_id IS NULL
            UNION ALL
            SELECT o.id, t.path || o.id || '/' FROM org_units o JOIN tree t ON o.parent_id = t.id
        )
        UPDATE org_units o SET path = tree.path FROM tree WHERE o.id = tree.id AND o.path IS DISTINCT FROM tree.path
        """;

    public static Task RecomputePathsAsync(CircDbContext db, CancellationToken ct = default) =>
        db.Database.ExecuteSqlRawAsync(RecomputePathsSql, ct);
}
