using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using OfflineCirc.Core.Formats;

namespace OfflineCirc.Web.Sessions;

/// <summary>
/// Keeps every uploaded line inside the libraries of the session it goes into (which lie inside the uploader's): a line
/// naming a workstation or org outside them, or one not registered at all, and a registration homed outside them, are
/// rejected at intake. Unknown and outside read alike, so a line never learns what another library holds. A line with
/// no workstation of its own was already given the upload's, which the session check admitted.
/// </summary>
public sealed class LineBoundary
{
    private readonly string _sessionOrg;
    private readonly string _sessionPath;
    private readonly Dictionary<string, string> _workstationPaths = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _orgPaths = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _orgPathsById = new(StringComparer.Ordinal);

    private LineBoundary(string sessionOrg, string sessionPath)
    {
        _sessionOrg = sessionOrg;
        _sessionPath = sessionPath;
    }

    public static async Task<LineBoundary> LoadAsync(NpgsqlConnection conn, long sessionId, CancellationToken ct)
    {
        LineBoundary boundary;
        await using (var cmd = new NpgsqlCommand("SELECT o.short_name, o.path FROM sessions s JOIN org_units o ON o.id = s.org_unit_id WHERE s.id = @id", conn))
        {
            cmd.Parameters.AddWithValue("id", sessionId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                throw new IntakeException("This session does not exist.", StatusCodes.Status404NotFound);
            }
            boundary = new LineBoundary(r.GetString(0), r.GetString(1));
        }
        await using (var cmd = new NpgsqlCommand("SELECT id, short_name, path FROM org_units", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                boundary._orgPathsById[r.GetInt32(0).ToString(CultureInfo.InvariantCulture)] = r.GetString(2);
                boundary._orgPaths[r.GetString(1)] = r.GetString(2);
            }
        }
        await using (var cmd = new NpgsqlCommand("SELECT w.name, o.path FROM workstations w JOIN org_units o ON o.id = w.org_unit_id", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                boundary._workstationPaths[r.GetString(0)] = r.GetString(1);
            }
        }
        return boundary;
    }

    /// <summary>The outcomes as read, with each parsed line that reaches outside the session's libraries turned into a rejection.</summary>
    public async IAsyncEnumerable<LineOutcome> ScreenAsync(IAsyncEnumerable<LineOutcome> outcomes, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var outcome in outcomes.WithCancellation(ct))
        {
            yield return Screen(outcome);
        }
    }

    public LineOutcome Screen(LineOutcome outcome) =>
        outcome is LineOutcome.Parsed { Transaction: var t } && Refusal(t) is { } reason
            ? new LineOutcome.Rejected(t.LineNumber, Reasons.CutRaw(t.Payload, TransactionParser.MaxRawTextLength), reason)
            : outcome;

    /// <summary>Why the line may not go into this session, or null when it stays inside.</summary>
    public string? Refusal(ParsedTransaction t)
    {
        if (!Inside(_workstationPaths, t.Workstation))
        {
            return $"workstation '{Reasons.Clip(t.Workstation)}' is not a registered workstation of {_sessionOrg} or the libraries under it";
        }
        if (t.Org is not null && !Inside(_orgPaths, t.Org))
        {
            return $"org '{Reasons.Clip(t.Org)}' is not {_sessionOrg} or a library under it";
        }
        // As replay reads home_ou: a short name first, else an org unit id.
        if (t.Patron?.HomeOu is { } home && !Inside(_orgPaths.ContainsKey(home.Trim()) ? _orgPaths : _orgPathsById, home))
        {
            return $"user.home_ou '{Reasons.Clip(home)}' is not {_sessionOrg} or a library under it";
        }
        return null;
    }

    public const string AnotherLibrarysSession = "already uploaded in another library's session";

    /// <summary>Duplicates whose original lies in another library's session keep the fact, not the session, file and line.</summary>
    public async Task<IReadOnlyList<DuplicateInfo>> RedactAsync(NpgsqlConnection conn, IReadOnlyList<DuplicateInfo> duplicates, CancellationToken ct)
    {
        var sessionIds = duplicates.Select(d => d.OriginalSessionId).OfType<long>().Distinct().ToArray();
        var inside = new HashSet<long>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT s.id FROM sessions s JOIN org_units o ON o.id = s.org_unit_id WHERE s.id = ANY(@ids) AND starts_with(o.path, @path)
            """, conn))
        {
            cmd.Parameters.AddWithValue("ids", sessionIds);
            cmd.Parameters.AddWithValue("path", _sessionPath);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                inside.Add(r.GetInt64(0));
            }
        }
        return duplicates
            .Select(d => d.OriginalSessionId is { } s && inside.Contains(s) ? d : d with { OriginalSessionId = null, OriginalFileId = null, OriginalLine = null })
            .ToList();
    }

    private bool Inside(Dictionary<string, string> paths, string name) =>
        paths.TryGetValue(name.Trim(), out var path) && path.StartsWith(_sessionPath, StringComparison.Ordinal);
}
