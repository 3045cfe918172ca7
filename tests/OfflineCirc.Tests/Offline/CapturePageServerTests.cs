using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;
using NodaTime;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.People;
using OfflineCirc.Web.Offline;

namespace OfflineCirc.Tests.Offline;

/// <summary>What the server gives the capture page: zone tables, types and words in bootstrap; a versioned service worker.</summary>
public partial class CapturePageServerTests(TestDatabase database) : PeopleTestBase(database)
{
    private static readonly string WebRoot = Path.Combine(RepoRoot(), "src", "OfflineCirc.Web", "wwwroot");

    [Fact]
    public async Task Bootstrap_gives_each_librarys_zone_offsets_and_abbreviations_from_a_year_back_to_two_years_ahead()
    {
        // Signed in at the consortium, so both zones of the test libraries are in reach.
        using var staff = await SignInNewUserAsync("staff@cons.example", Roles.Staff, Orgs.Cons);
        var boot = await staff.Http.GetFromJsonAsync<JsonElement>("/api/offline/bootstrap");

        var zones = boot.GetProperty("timeZones");
        foreach (var org in boot.GetProperty("orgUnits").EnumerateArray())
        {
            Assert.True(zones.TryGetProperty(org.GetProperty("timeZone").GetString()!, out _), "every library's zone is in the table");
        }
        var toronto = zones.GetProperty("America/Toronto").EnumerateArray().ToList();
        var now = SystemClock.Instance.GetCurrentInstant();
        var first = toronto[0].GetProperty("start").GetInt64();
        var last = toronto[^1].GetProperty("end").GetInt64();
        Assert.True(first <= (now - Duration.FromDays(365)).ToUnixTimeSeconds(), "the table starts a year back");
        Assert.True(last >= (now + Duration.FromDays(730)).ToUnixTimeSeconds(), "the table ends two years ahead");
        for (var i = 1; i < toronto.Count; i++)
        {
            Assert.Equal(toronto[i - 1].GetProperty("end").GetInt64(), toronto[i].GetProperty("start").GetInt64());
        }
        Assert.Equal(["EDT", "EST"], toronto.Select(s => s.GetProperty("abbreviation").GetString()).Distinct().Order());
        // Each stretch says what NodaTime says for an instant inside it.
        var zone = DateTimeZoneProviders.Tzdb["America/Toronto"];
        foreach (var span in toronto)
        {
            var inside = Instant.FromUnixTimeSeconds(span.GetProperty("start").GetInt64() + 3600);
            Assert.Equal(zone.GetZoneInterval(inside).Name, span.GetProperty("abbreviation").GetString());
            Assert.Equal(zone.GetUtcOffset(inside).Seconds, span.GetProperty("offset").GetInt32());
        }
        Assert.Contains(zones.GetProperty("America/Vancouver").EnumerateArray(), s => s.GetProperty("abbreviation").GetString() == "PST");
    }

    [Fact]
    public async Task Bootstrap_lists_the_types_the_page_offers_and_the_portals_words_for_its_warnings()
    {
        using var staff = await SignInNewUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        var boot = await staff.Http.GetFromJsonAsync<JsonElement>("/api/offline/bootstrap");

        Assert.Equal(TransactionTypes.All, boot.GetProperty("transactionTypes").EnumerateArray().Select(t => t.GetProperty("type").GetString()!));
        Assert.Contains(boot.GetProperty("transactionTypes").EnumerateArray(), t => t.GetProperty("name").GetString() == "Payment");
        var words = boot.GetProperty("warningCodes");
        Assert.Equal(ResultCodes.Describe(ResultCodes.PatronBarred), words.GetProperty("PATRON_BARRED").GetString());
        Assert.Equal(ResultCodes.Describe(ResultCodes.DueDateInPast), words.GetProperty("DUE_DATE_IN_PAST").GetString());
        Assert.Contains("check digit", words.GetProperty("BAD_CHECK_DIGIT").GetString());
        Assert.Equal("PATRON_ACCOUNT_EXPIRED", boot.GetProperty("blockReasons").GetProperty("E").GetString());
    }

    [Fact]
    public async Task Block_list_comes_sorted_by_length_and_ordinal_order_with_each_reason_and_answers_304_when_unchanged()
    {
        // One card per reason, in three lengths; "B-2" sorts before "a-1" in ordinal order, the order of JavaScript's <.
        var barred = await SeedPatronAsync(Orgs.Br1, "a-1");
        var owing = await SeedPatronAsync(Orgs.Br2, "B-2");
        var expired = await SeedPatronAsync(Orgs.Br1, "24710000000014");
        var lostCard = await SeedPatronAsync(Orgs.Br1, "24710000000022");
        await SeedPatronAsync(Orgs.Br1, "24710000000030");
        await using (var db = App.CreateContext())
        {
            (await db.Patrons.FindAsync(barred.Id))!.Barred = true;
            (await db.Patrons.FindAsync(expired.Id))!.ExpireDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3));
            db.Cards.Add(new Card { Barcode = "L9", PatronId = lostCard.Id, Active = false });
            // Over the Adult threshold of 10.00 once the paid and the voided are left out.
            db.Billings.AddRange(
                new Billing { PatronId = owing.Id, Amount = 8m, BillingType = "Overdue", BilledAt = DateTimeOffset.UtcNow },
                new Billing { PatronId = owing.Id, Amount = 5m, AmountPaid = 1m, BillingType = "Overdue", BilledAt = DateTimeOffset.UtcNow },
                new Billing { PatronId = owing.Id, Amount = 50m, Voided = true, BillingType = "Lost", BilledAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        using var staff = await SignInNewUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);

        var response = await staff.Http.GetAsync("/api/offline/blocklist?format=sorted");
        response.EnsureSuccessStatusCode();
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, list.GetProperty("count").GetInt32());
        var groups = list.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("length").GetInt32(), g.GetProperty("entries").GetString())).ToList();
        Assert.Equal([(2, "L9L"), (3, "B-2Da-1B"), (14, "24710000000014E")], groups);

        // Unchanged, the list is revalidated, not sent again; the older format has the same cards and an ETag of its own.
        var etag = response.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/offline/blocklist?format=sorted");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, (await staff.Http.SendAsync(again)).StatusCode);
        var older = await staff.Http.GetAsync("/api/offline/blocklist");
        Assert.NotEqual(etag, older.Headers.ETag);
        var entries = (await older.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("barcode").GetString() + e.GetProperty("reason").GetString());
        Assert.Equal(["24710000000014E", "B-2D", "L9L", "a-1B"], entries);

        var unknown = await staff.Http.GetAsync("/api/offline/blocklist?format=csv");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("There is no block list format 'csv'", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Service_worker_is_versioned_by_the_pages_files_and_lists_every_one_of_them()
    {
        using var anonymous = App.CreateClient();
        var response = await anonymous.GetAsync("/offline/sw.js");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString());
        var script = await response.Content.ReadAsStringAsync();

        var version = VersionLine().Match(script);
        Assert.True(version.Success, script[..Math.Min(200, script.Length)]);
        var expected = ServiceWorkerScript.Build(new PhysicalFileProvider(WebRoot));
        Assert.Equal(expected.Version, version.Groups[1].Value);
        var files = Directory.GetFiles(Path.Combine(WebRoot, "offline"), "*", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(WebRoot, f).Replace('\\', '/'))
            .Select(u => u == "/offline/index.html" ? "/offline/" : u).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("/offline/js/payment.js", files);
        Assert.Equal(files, expected.Files);
        foreach (var file in files)
        {
            Assert.Contains($"\"{file}\"", script);
        }
    }

    [Fact]
    public void Changing_adding_or_removing_any_file_of_the_page_changes_the_service_worker_version()
    {
        var root = Directory.CreateTempSubdirectory("oc-sw-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "offline", "js"));
            File.WriteAllText(Path.Combine(root, "offline", "index.html"), "<p>one</p>");
            File.WriteAllText(Path.Combine(root, "offline", "js", "main.js"), "export const a = 1;");
            var versions = new List<string> { Version() };
            Assert.Equal(versions[0], Version());

            File.WriteAllText(Path.Combine(root, "offline", "js", "main.js"), "export const a = 2;");
            versions.Add(Version());
            File.WriteAllText(Path.Combine(root, "offline", "js", "new.js"), "");
            versions.Add(Version());
            File.Move(Path.Combine(root, "offline", "js", "new.js"), Path.Combine(root, "offline", "js", "renamed.js"));
            versions.Add(Version());
            File.Delete(Path.Combine(root, "offline", "js", "renamed.js"));
            Assert.Equal(versions[1], Version());
            Assert.Equal(versions.Count, versions.Distinct().Count());
            Assert.Equal(["/offline/", "/offline/js/main.js"], ServiceWorkerScript.Build(new PhysicalFileProvider(root)).Files);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        string Version()
        {
            using var files = new PhysicalFileProvider(root);
            return ServiceWorkerScript.Build(files).Version;
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OfflineCirc.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("The repository root was not found above the test binaries.");
    }

    [GeneratedRegex("^const CACHE_VERSION = '([0-9a-f]{16})';$", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
