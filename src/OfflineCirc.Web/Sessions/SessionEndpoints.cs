using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using OfflineCirc.Core.Data;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Web.Sessions;

public static class SessionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions");
        sessions.MapPost("", CreateAsync).RequireAuthorization(PeopleSetup.AdministratorOrAbove);
        sessions.MapGet("", async (string? org, SessionService service, CancellationToken ct) => Results.Ok(await service.ListAsync(org, ct)));
        sessions.MapGet("/{id:long}", GetAsync);
        sessions.MapPost("/{id:long}/files", UploadAsync).RequireAuthorization(PeopleSetup.StaffOrAbove);
        sessions.MapPost("/{id:long}/close", CloseAsync).RequireAuthorization(PeopleSetup.AdministratorOrAbove);
        sessions.MapGet("/{id:long}/rejected-lines.csv", RejectedCsvAsync);
        sessions.MapPost("/{id:long}/process", (long id, SessionService service, Processing processing, CancellationToken ct) =>
            StartRunAsync(id, OfflineCirc.Core.Replay.RunKind.Process, service, processing, ct)).RequireAuthorization(PeopleSetup.AdministratorOrAbove);
        sessions.MapPost("/{id:long}/retry", (long id, SessionService service, Processing processing, CancellationToken ct) =>
            StartRunAsync(id, OfflineCirc.Core.Replay.RunKind.Retry, service, processing, ct)).RequireAuthorization(PeopleSetup.AdministratorOrAbove);
    }

    private static async Task<IResult> CreateAsync(CreateSession request, SessionService service, CancellationToken ct)
    {
        var session = await service.CreateAsync(request, ct);
        return Results.Created($"/api/sessions/{session.Id}", new { id = session.Id, org = session.OrgUnit!.ShortName, description = session.Description, state = session.State.ToString() });
    }

    /// <summary>
    /// The session's state, progress, counts and files. Nothing is counted here (docs/adr-016). The answer carries an
    /// entity tag of its figures, and a poller that sends it back in If-None-Match gets 304 with no body until they change.
    /// Its Server-Timing says how long the figures took and whether they came from memory ("kept") or the database
    /// ("read", docs/adr-021).
    /// </summary>
    private static async Task<IResult> GetAsync(long id, HttpContext http, SessionService service, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (reading, kept) = await service.StatusAsync(id, ct);
        if (reading is not var (status, files))
        {
            return NotFound();
        }
        ServerTiming.Add(http.Response, "status", started, kept);
        var etag = status.EntityTag();
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (Unchanged(http.Request, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Ok(new
        {
            id = status.Id,
            org = status.Org,
            description = status.Description,
            state = status.State,
            createdBy = status.CreatedBy,
            createdAt = status.CreatedAt,
            runCount = status.RunCount,
            progress = new { done = status.ProgressDone, total = status.ProgressTotal },
            transactions = status.Transactions,
            results = status.Results,
            files,
        });
    }

    /// <summary>Whether If-None-Match names the current tag (or is *), compared weakly as RFC 9110 says for GET.</summary>
    private static bool Unchanged(HttpRequest request, string etag)
    {
        var current = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    private static async Task<IResult> UploadAsync(long id, HttpRequest request, SessionService service, IntakeOptions options, CancellationToken ct) =>
        Results.Ok(await MultipartUpload.ReadAsync(request, options,
            (fields, stream) => service.UploadAsync(id, fields.Workstation, fields.Delta, fields.FileName, stream, ct), ct));

    private static async Task<IResult> StartRunAsync(long id, OfflineCirc.Core.Replay.RunKind kind, SessionService service, Processing processing, CancellationToken ct)
    {
        if (await service.FindAsync(id, ct) is null)
        {
            return NotFound();
        }
        var run = await processing.StartAsync(id, kind, ct);
        return Results.Accepted($"/api/sessions/{id}", new { sessionId = id, run, state = "Processing" });
    }

    private static async Task<IResult> CloseAsync(long id, SessionService service, CancellationToken ct)
    {
        var session = await service.FindAsync(id, ct);
        if (session is null)
        {
            return NotFound();
        }
        await service.CloseAsync(session, ct);
        return Results.NoContent();
    }

    private static async Task RejectedCsvAsync(long id, HttpContext http, SessionService service, CircDbContext db, CancellationToken ct)
    {
        if (await service.FindAsync(id, ct) is null)
        {
            throw Refusals.SessionNotFound.Exception();
        }
        await WriteRejectedCsvAsync(http.Response, id, db, ct);
    }

    public static Task WriteRejectedCsvAsync(HttpResponse response, long sessionId, CircDbContext db, CancellationToken ct) =>
        CsvExport.WriteAsync(response, $"session-{sessionId}-rejected-lines.csv",
            ["session_id", "file_id", "file_name", "workstation", "line_number", "reason", "raw_text"],
            async csv =>
            {
                var rows = db.RejectedLines.AsNoTracking().Where(r => r.SessionId == sessionId)
                    .Join(db.UploadedFiles, r => r.FileId, f => f.Id, (r, f) => new { r, f.FileName, f.Workstation })
                    .OrderBy(x => x.r.FileId).ThenBy(x => x.r.LineNumber).AsAsyncEnumerable();
                await foreach (var x in rows.WithCancellation(ct))
                {
                    csv.Number(x.r.SessionId);
                    csv.Number(x.r.FileId);
                    csv.Cell(x.FileName);
                    csv.Cell(x.Workstation);
                    csv.Number(x.r.LineNumber);
                    csv.Cell(x.r.Reason);
                    csv.Cell(x.r.RawText);
                    await csv.EndRowAsync();
                }
            }, ct);

    private static IResult NotFound() => Refusals.SessionNotFound.Result();
}
