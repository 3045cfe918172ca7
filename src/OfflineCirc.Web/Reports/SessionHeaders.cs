using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Reports;

/// <summary>
/// What the exceptions page shows of its session: its library, the workstations for the filter (the files' and the
/// registry's under the library), and how many transactions a retry would take up again (only for someone who could
/// start one).
/// </summary>
public sealed record SessionHeader(
    long Id, string Description, SessionState State, int RunCount, string OrgShortName, string OrgTimeZone,
    IReadOnlyList<string> Workstations, long Retryable);

/// <summary>
/// Reads a session's header inside the caller's subtree, alone or in one round trip with the statement that follows it;
/// or only its version, for the page cache's policy, which asks for it before the page runs.
/// </summary>
public sealed class SessionHeaders([FromKeyedServices(Infrastructure.Database.Reads)] NpgsqlDataSource dataSource, UserScope scope)
{
    // The session s, with its library o, when it is in the caller's subtree: $1 session, $2 and $3 the subtree
    // (UserScope.ReachesSql, added by AddSessionInReach).
    private static readonly string SessionInReach = $"""
        FROM sessions s JOIN org_units o ON o.id = s.org_unit_id
        WHERE s.id = $1 AND {UserScope.ReachesSql("o.path")}
        """;

    // $4 may start a retry. The workstations come from the files and the registry, both small (a distinct over the
    // session's transactions would cost a full scan).
    private static readonly string Sql = $"""
        SELECT s.description, s.state, s.run_count, o.short_name, o.time_zone,
               ARRAY(SELECT f.workstation FROM uploaded_files f WHERE f.session_id = s.id
                     UNION SELECT w.name FROM workstations w JOIN org_units wo ON wo.id = w.org_unit_id WHERE starts_with(wo.path, o.path)),
               CASE WHEN $4 AND s.state <> '{SnakeCaseEnum.ToSnake(SessionState.Closed)}' THEN {SessionCounts.RetryableSql} ELSE 0 END
        {SessionInReach}
        """;

    // The session row's version alone, for the page cache's key.
    private static readonly string VersionSql = $"SELECT s.xmin::text {SessionInReach}";

    /// <summary>The session's header; null when there is no such session in the caller's subtree.</summary>
    public async Task<SessionHeader?> ReadAsync(long id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(Sql);
        AddParameters(cmd.Parameters, id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReadHeaderAsync(reader, id, ct);
    }

    /// <summary>
    /// The session row's version (xmin), which keys the page cache (docs/adr-006); null when there is no such session in
    /// the caller's subtree. A page served from the cache needs nothing else of the header, and a page built after all
    /// reads its header with its rows.
    /// </summary>
    public async Task<string?> VersionAsync(long id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(VersionSql);
        AddSessionInReach(cmd.Parameters, id);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>
    /// The header and, in the same round trip, <paramref name="then"/>'s result as <paramref name="readThen"/> reads it.
    /// Outside the caller's subtree there is no header, and <paramref name="then"/>'s rows are left unread: the
    /// statement ran, but nothing of it leaves here.
    /// </summary>
    public async Task<(SessionHeader? Header, T Then)> ReadWithAsync<T>(long id, NpgsqlBatchCommand then, Func<NpgsqlDataReader, Task<T>> readThen,
        CancellationToken ct) where T : new()
    {
        await using var batch = dataSource.CreateBatch();
        var header = new NpgsqlBatchCommand(Sql);
        AddParameters(header.Parameters, id);
        batch.BatchCommands.Add(header);
        batch.BatchCommands.Add(then);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (await ReadHeaderAsync(reader, id, ct) is not { } found)
        {
            return (null, new T());
        }
        await reader.NextResultAsync(ct);
        return (found, await readThen(reader));
    }

    private void AddSessionInReach(NpgsqlParameterCollection parameters, long id)
    {
        parameters.Add(new NpgsqlParameter { Value = id });
        scope.AddReach(parameters);
    }

    private void AddParameters(NpgsqlParameterCollection parameters, long id)
    {
        AddSessionInReach(parameters, id);
        parameters.Add(new NpgsqlParameter { Value = scope.CanAdminister });
    }

    private static async Task<SessionHeader?> ReadHeaderAsync(NpgsqlDataReader reader, long id, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var workstations = reader.GetFieldValue<string[]>(5);
        Array.Sort(workstations, StringComparer.Ordinal);
        return new SessionHeader(id, reader.GetString(0), SnakeCaseEnum.Parse<SessionState>(reader.GetString(1)), reader.GetInt32(2),
            reader.GetString(3), reader.GetString(4), workstations, reader.GetInt64(6));
    }
}
