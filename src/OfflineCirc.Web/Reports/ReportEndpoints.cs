using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Reports;

/// <summary>The CSV downloads of a session, for anyone who can see the session (its org subtree).</summary>
public static class ReportEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var session = api.MapGroup("/sessions/{id:long}");
        session.MapGet("/exceptions.csv", ExceptionsAsync);
        session.MapGet("/results.csv", ResultsAsync);
        session.MapGet("/followups.csv", FollowUpsAsync);
    }

    private static async Task<IResult> ExceptionsAsync(long id, string? status, string? code, string? type, string? workstation, string? resolved,
        SessionService sessions, ResultQueries results, CancellationToken ct)
    {
        if (await sessions.FindAsync(id, ct) is null)
        {
            return NotFound();
        }
        if (!TryFilter(status, code, type, workstation, resolved, out var filter, out var error))
        {
            return new Refusal(StatusCodes.Status400BadRequest, error!).Result();
        }
        return Csv($"session-{id}-exceptions.csv", ResultRow.CsvHeader, async (csv, token) =>
        {
            await foreach (var row in results.ExceptionsAsync(id, filter, token))
            {
                row.WriteCsv(csv);
                await csv.EndRowAsync();
            }
        }, ct);
    }

    private static async Task<IResult> ResultsAsync(long id, SessionService sessions, ResultQueries results, CancellationToken ct)
    {
        if (await sessions.FindAsync(id, ct) is null)
        {
            return NotFound();
        }
        return Csv($"session-{id}-results.csv", ResultRow.CsvHeader, async (csv, token) =>
        {
            await foreach (var row in results.AllAsync(id, token))
            {
                row.WriteCsv(csv);
                await csv.EndRowAsync();
            }
        }, ct);
    }

    private static async Task<IResult> FollowUpsAsync(long id, string? branch, string? kind, SessionService sessions, FollowUpQueries followUps, CancellationToken ct)
    {
        if (await sessions.FindAsync(id, ct) is null)
        {
            return NotFound();
        }
        return Csv($"session-{id}-followups.csv", FollowUpRow.CsvHeader, async (csv, token) =>
        {
            await foreach (var row in followUps.ListAsync(id, branch, kind, token))
            {
                row.WriteCsv(csv, id);
                await csv.EndRowAsync();
            }
        }, ct);
    }

    /// <summary>Reads the exception filters of a query string; an unknown status or resolved value is an error, not "any".</summary>
    public static bool TryFilter(string? status, string? code, string? type, string? workstation, string? resolved,
        out ExceptionFilter filter, out string? error)
    {
        filter = ExceptionFilter.None;
        error = null;
        ResultStatus? st = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!SnakeCaseEnum.TryParse<ResultStatus>(status, out var parsed))
            {
                error = Refusals.BadStatusFilter(status).Sentence;
                return false;
            }
            st = parsed;
        }
        bool? res = null;
        if (!string.IsNullOrWhiteSpace(resolved))
        {
            if (!bool.TryParse(resolved.Trim(), out var r))
            {
                error = Refusals.BadResolvedFilter.Sentence;
                return false;
            }
            res = r;
        }
        filter = new ExceptionFilter(st, Blank(code), Blank(type), Blank(workstation), res);
        return true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IResult Csv(string fileName, IReadOnlyList<string> header, Func<CsvRowWriter, CancellationToken, Task> rows, CancellationToken ct) =>
        CsvExport.Download(fileName, header, csv => rows(csv, ct), ct);

    private static IResult NotFound() => Refusals.SessionNotFound.Result();
}
