using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Import;

/// <summary>A reason a row (or the header, row 1) cannot be imported. Row numbers are lines of the file: row 2 is the first data row.</summary>
public sealed record RowError(int Row, string Message)
{
    public override string ToString() => Row > 0 ? $"row {Row}: {Message}" : Message;
}

/// <summary>What an import did: counts when the file landed, or every row error when nothing was stored.</summary>
public sealed record ImportResult(string Kind, int Rows, long Inserted, long Updated, IReadOnlyList<RowError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Who imports, and which org units they reach: <see cref="ScopePath"/> null means everything.</summary>
public sealed record ImportActor(string UserName, string? UserId, string? ScopePath, int? HomeOrgId)
{
    public static readonly ImportActor System = new("system", null, null, null);

    public bool IsConsortiumWide => ScopePath is null;

    public static async Task<ImportActor?> FromAsync(UserScope scope, CancellationToken ct = default)
    {
        if (!scope.CanAdminister)
        {
            return null;
        }
        var home = await scope.HomeAsync(ct);
        var path = await scope.SubtreePathAsync(ct);
        if (path is null)
        {
            return null;
        }
        return new ImportActor(scope.UserName, scope.UserId, path == "/" ? null : path, home?.Id);
    }
}

/// <summary>Collects row errors up to a limit, so a file of a million bad rows cannot exhaust memory.</summary>
public sealed class RowErrors
{
    public const int Limit = 10_000;
    private readonly List<RowError> _errors = [];

    // Rows refused for reaching outside the importer's libraries: nothing more is said about them.
    private readonly HashSet<int> _outside = [];

    public int Count { get; private set; }

    public void AddOutside(int row, string message)
    {
        _outside.Add(row);
        Store(row, message);
    }

    public void Add(int row, string message)
    {
        if (!_outside.Contains(row))
        {
            Store(row, message);
        }
    }

    private void Store(int row, string message)
    {
        Count++;
        if (_errors.Count < Limit)
        {
            _errors.Add(new RowError(row, message));
        }
    }

    public IReadOnlyList<RowError> ToList()
    {
        var list = _errors.OrderBy(e => e.Row).ToList();
        if (Count > list.Count)
        {
            list.Add(new RowError(0, $"... and {Count - list.Count} more errors not listed; fix these and import again to see the rest."));
        }
        return list;
    }
}
