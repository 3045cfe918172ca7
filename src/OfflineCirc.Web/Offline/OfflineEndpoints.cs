using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Offline;

public static class OfflineEndpoints
{
    public sealed record ReadinessReport(string? Workstation, DateTimeOffset? BootstrapRefreshedAt, DateTimeOffset? BlocklistRefreshedAt, bool ServiceWorkerInstalled);

    private static readonly string[] RequiredFields = ["card", "family_name", "first_given_name", "profile", "home_ou"];
    private static readonly string[] OptionalFields = ["dob", "email", "day_phone", "usrname", "street1", "street2", "city", "post_code"];

    public static void Map(RouteGroupBuilder api)
    {
        var offline = api.MapGroup("/offline").RequireAuthorization(PeopleSetup.StaffOrAbove);
        offline.MapGet("/bootstrap", BootstrapAsync);
        offline.MapGet("/blocklist", BlocklistAsync);
        offline.MapPost("/transactions", async (CaptureRequest request, CaptureUpload upload, CancellationToken ct) =>
            Results.Ok(await upload.UploadAsync(request, ct)));
        offline.MapPost("/readiness", ReadinessAsync);
    }

    private static async Task<IResult> BootstrapAsync(UserScope scope, CircDbContext db, BarcodeRulesOptions barcodes, CancellationToken ct)
    {
        var home = await scope.HomeAsync(ct);
        var orgs = await (await scope.ReachableOrgsAsync(ct)).OrderBy(o => o.Path).ToListAsync(ct);
        var orgIds = orgs.Select(o => o.Id).ToList();
        // Non-catalogued types of the user's libraries and of the levels above them (a system's types serve its branches).
        var ancestorIds = home?.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList() ?? [];
        var noncat = await db.NoncatTypes.AsNoTracking().Where(n => orgIds.Contains(n.OwningOrgId) || ancestorIds.Contains(n.OwningOrgId))
            .OrderBy(n => n.Name).Select(n => new { id = n.Id, name = n.Name, org = n.OwningOrg!.ShortName }).ToListAsync(ct);
        var workstations = await db.Workstations.AsNoTracking().Where(w => orgIds.Contains(w.OrgUnitId))
            .OrderBy(w => w.Name).Select(w => new { name = w.Name, org = w.OrgUnit!.ShortName }).ToListAsync(ct);
        var profiles = await db.PatronProfiles.AsNoTracking().OrderBy(p => p.Name).Select(p => new { id = p.Id, name = p.Name }).ToListAsync(ct);
        var now = NodaTime.SystemClock.Instance.GetCurrentInstant();
        return Results.Ok(new
        {
            serverTime = now.ToDateTimeOffset(),
            user = new { email = scope.UserName, homeOrg = home?.ShortName },
            orgUnits = orgs.Select(o => new { id = o.Id, shortName = o.ShortName, name = o.Name, timeZone = o.TimeZone, parentId = o.ParentId }),
            workstations,
            noncatTypes = noncat,
            profiles,
            registration = new { requiredFields = RequiredFields, optionalFields = OptionalFields },
            barcodeRules = orgs.SelectMany(o => new[]
            {
                new { org = o.ShortName, kind = "patron", pattern = barcodes.Patron.Pattern, checkDigit = barcodes.Patron.CheckDigit, description = barcodes.Patron.Description },
                new { org = o.ShortName, kind = "item", pattern = barcodes.Item.Pattern, checkDigit = barcodes.Item.CheckDigit, description = barcodes.Item.Description },
            }),
            // Offsets and abbreviations of each library's zone, so times read the same offline as in the portal.
            timeZones = ZoneTable.For(orgs.Select(o => o.TimeZone), now),
            transactionTypes = DeskWarnings.TransactionTypeList(),
            warningCodes = DeskWarnings.Descriptions(),
            blockReasons = DeskWarnings.BlockReasons,
            dueDatePresets = new[] { new { label = "3 days", days = 3 }, new { label = "1 week", days = 7 }, new { label = "2 weeks", days = 14 }, new { label = "3 weeks", days = 21 } },
        });
    }

    private static async Task BlocklistAsync(HttpContext http, BlockList blockList, CancellationToken ct)
    {
        var format = http.Request.Query["format"].ToString();
        if (format.Length > 0 && format != BlockList.SortedFormat)
        {
            throw Refusals.BlocklistFormatUnknown(format).Exception();
        }
        var built = await blockList.BuildAsync(sorted: format.Length > 0, ct);
        http.Response.Headers.ETag = built.ETag;
        http.Response.Headers.CacheControl = "private, no-cache";
        http.Response.Headers.Vary = "Accept-Encoding";
        http.Response.Headers["X-Generated-At"] = built.GeneratedAt.ToString("O");
        if (http.Request.Headers.IfNoneMatch.Contains(built.ETag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = "application/json";
        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.ContentEncoding = "gzip";
            await http.Response.Body.WriteAsync(built.Gzipped, ct);
            return;
        }
        await using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(built.Gzipped), System.IO.Compression.CompressionMode.Decompress);
        await unzip.CopyToAsync(http.Response.Body, ct);
    }

    private static async Task<IResult> ReadinessAsync(ReadinessReport report, UserScope scope, CircDbContext db, CancellationToken ct)
    {
        var ws = await db.Workstations.SingleOrDefaultAsync(w => w.Name == (report.Workstation ?? "").Trim(), ct);
        if (ws is null || !await scope.ReachesAsync(ws.OrgUnitId, ct))
        {
            return Refusals.ReadinessWorkstationUnknown(report.Workstation).Result();
        }
        ws.ReadinessReportedAt = DateTimeOffset.UtcNow;
        ws.BootstrapRefreshedAt = report.BootstrapRefreshedAt?.ToUniversalTime();
        ws.BlocklistRefreshedAt = report.BlocklistRefreshedAt?.ToUniversalTime();
        ws.ServiceWorkerInstalled = report.ServiceWorkerInstalled;
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
