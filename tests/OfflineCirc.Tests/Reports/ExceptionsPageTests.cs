using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Tests.Reports;

public sealed partial class ExceptionsPageTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    private const string Xss = "<script>alert(1)</script>";

    private static List<long> RowIds(string html) => RowPattern().Matches(html).Select(m => long.Parse(m.Groups[1].Value)).ToList();

    private static string? NextLink(string html)
    {
        var m = NextPattern().Match(html);
        return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    [Fact]
    public async Task Keyset_pages_of_ten_walk_25_failures_in_transaction_order()
    {
        var failed = new List<long>();
        long id;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            for (var i = 0; i < 25; i++)
            {
                // Applied results in between must never show up, nor shift the pages.
                await seed.WithResultAsync("checkin", ResultStatus.Applied);
                failed.Add((await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.AssetCopyNotFound])).Id);
            }
            id = seed.Id;
        }
        using var client = await app.LoginAsync(ReportsApp.AuditorSys1);
        var url = $"/Sessions/Exceptions/{id}?size=10";
        var pages = new List<List<long>>();
        while (url is not null)
        {
            var html = await client.Http.GetStringAsync(url);
            pages.Add(RowIds(html));
            url = NextLink(html);
        }
        Assert.Equal(3, pages.Count);
        Assert.Equal(failed[..10], pages[0]);
        Assert.Equal(failed[10..20], pages[1]);
        Assert.Equal(failed[20..], pages[2]);
    }

    [Fact]
    public async Task Filters_narrow_by_status_code_type_workstation_and_resolved()
    {
        long id;
        OfflineTransaction warnBr1, failBr2, skipBr1, resolvedWarn;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Sys1);
            warnBr1 = await seed.WithResultAsync("checkin", ResultStatus.Warning, [ResultCodes.NoChange]);
            failBr2 = await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.AssetCopyNotFound], workstation: "BR2-CIRC-01");
            skipBr1 = await seed.WithResultAsync("renew", ResultStatus.Skipped, [ResultCodes.SkipAssetChanged]);
            resolvedWarn = await seed.WithResultAsync("checkout", ResultStatus.Warning, [ResultCodes.PatronBarred, ResultCodes.NoChange],
                result: r => r.Resolved = true);
            await seed.WithResultAsync("checkout", ResultStatus.Applied);
            id = seed.Id;
        }
        using var client = await app.LoginAsync(ReportsApp.AuditorSys1);
        // The filter form's fields, as a reader's browser sends them, and the page's own keyset.
        async Task<List<long>> Ids(string query) => RowIds(await client.Http.GetStringAsync($"/Sessions/Exceptions/{id}?{query}"));

        Assert.Equal([warnBr1.Id, failBr2.Id, skipBr1.Id, resolvedWarn.Id], await Ids(""));
        Assert.Equal([warnBr1.Id, resolvedWarn.Id], await Ids("status=Warning"));
        Assert.Empty(await Ids("status=Applied"));
        Assert.Equal([warnBr1.Id, resolvedWarn.Id], await Ids($"code={ResultCodes.NoChange}"));
        Assert.Equal([skipBr1.Id], await Ids("type=renew"));
        Assert.Equal([failBr2.Id], await Ids("workstation=BR2-CIRC-01"));
        Assert.Equal([resolvedWarn.Id], await Ids("resolved=true"));
        Assert.Equal([warnBr1.Id, failBr2.Id, skipBr1.Id], await Ids("resolved=false"));
        Assert.Equal([warnBr1.Id], await Ids("status=Warning&resolved=false"));
        Assert.Equal([failBr2.Id, skipBr1.Id], await Ids($"after={warnBr1.Id}&size=2"));
        Assert.Equal([failBr2.Id], await Ids("workstation=BR2-CIRC-01&status=Failed"));
    }

    [Fact]
    public async Task Barcodes_and_notes_are_shown_as_text_on_every_page()
    {
        long id;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1, description: Xss);
            var profile = new PatronProfile { Name = "xss-" + Guid.NewGuid().ToString("N")[..6], CheckoutLimit = 10 };
            var record = new BibRecord { Id = Random.Shared.NextInt64(1_000_000, 9_000_000), Title = Xss + " title" };
            db.AddRange(profile, record);
            await db.SaveChangesAsync();
            var patron = new Patron { FamilyName = Xss, FirstGivenName = "Eve", HomeOrgId = app.Orgs.Br1.Id, ProfileId = profile.Id };
            var item = new Item { Barcode = Xss + Guid.NewGuid().ToString("N")[..4], RecordId = record.Id, OwningOrgId = app.Orgs.Br1.Id, Location = Xss };
            db.AddRange(patron, item);
            await db.SaveChangesAsync();
            db.Cards.Add(new Card { Barcode = Xss + "-card-" + Guid.NewGuid().ToString("N")[..4], PatronId = patron.Id, Primary = true });
            await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.ActorUserNotFound], tx: t =>
            {
                t.PatronBarcode = Xss;
                t.ItemBarcode = Xss;
            }, result: r => r.ResolutionNote = Xss);
            await seed.WithResultAsync("checkout", ResultStatus.Warning, [ResultCodes.PatronBarred], tx: t => t.ItemBarcode = item.Barcode,
                result: r =>
                {
                    r.FollowUps = [FollowUpKinds.BlockedPatronLoan];
                    r.PatronId = patron.Id;
                    r.ItemId = item.Id;
                });
            id = seed.Id;
        }
        using var client = await app.LoginAsync(ReportsApp.AdminSys1);
        var exceptions = $"/Sessions/Exceptions/{id}";
        var resolve = await client.PostFormAsync(PageForms.Action(await client.Http.GetStringAsync(exceptions), "Resolve"),
            new() { ["tx"] = (await FirstFailedAsync(id)).ToString(), ["note"] = Xss }, exceptions);
        Assert.Equal(HttpStatusCode.Redirect, resolve.StatusCode);
        foreach (var page in new[] { $"/Sessions/Exceptions/{id}", $"/Sessions/FollowUps/{id}", $"/Sessions/Details/{id}", $"/Sessions/Transaction/{await FirstFailedAsync(id)}", $"/Reports/Audit?session={id}" })
        {
            var html = await client.Http.GetStringAsync(page);
            Assert.DoesNotContain("<script>alert(1)", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        }
    }

    private async Task<long> FirstFailedAsync(long sessionId)
    {
        await using var db = app.Db();
        return await db.Results.Where(r => r.SessionId == sessionId && r.IsCurrent && r.Status == ResultStatus.Failed)
            .OrderBy(r => r.TransactionId).Select(r => r.TransactionId).FirstAsync();
    }

    [Fact]
    public async Task Administrator_corrects_forces_and_resolves_from_the_list_and_each_is_audited()
    {
        long id;
        OfflineTransaction failed, skipped;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            failed = await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.ActorUserNotFound], tx: t =>
            {
                t.PatronBarcode = "BAD-PATRON";
                t.ItemBarcode = "I-1";
            });
            skipped = await seed.WithResultAsync("checkin", ResultStatus.Skipped, [ResultCodes.SkipAssetChanged]);
            id = seed.Id;
        }
        using var client = await app.LoginAsync(ReportsApp.AdminSys1);
        var list = $"/Sessions/Exceptions/{id}?status=Failed";
        var edit = await client.PostFormAsync(PageForms.Action(await client.Http.GetStringAsync(list), "Edit"), new()
        {
            ["tx"] = failed.Id.ToString(),
            ["patronBarcode"] = "P-GOOD",
            ["itemBarcode"] = "I-1",
            ["dueDate"] = "2026-04-01",
        }, list);
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Contains("status=Failed", edit.Headers.Location!.OriginalString);
        var all = $"/Sessions/Exceptions/{id}";
        var forceAction = PageForms.Action(await client.Http.GetStringAsync(all), "Force");
        var force = await client.PostFormAsync(forceAction, new() { ["tx"] = skipped.Id.ToString() }, all);
        Assert.Equal(HttpStatusCode.Redirect, force.StatusCode);
        var resolve = await client.PostFormAsync(PageForms.Action(await client.Http.GetStringAsync(all), "Resolve"), new() { ["tx"] = skipped.Id.ToString(), ["note"] = "Checked the shelf" }, all);
        Assert.Equal(HttpStatusCode.Redirect, resolve.StatusCode);
        // The failed row has no Force button; the same form posted with its id anyway is refused in words.
        var refused = await client.PostFormAsync(forceAction, new() { ["tx"] = failed.Id.ToString() }, all);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("Only a skipped transaction can be forced.", await client.Http.GetStringAsync(refused.Headers.Location!.OriginalString));

        await using var check = app.Db();
        var t = await check.Transactions.SingleAsync(x => x.Id == failed.Id);
        Assert.Equal(("P-GOOD", "BAD-PATRON", "2026-04-01", true), (t.PatronBarcode, t.OriginalPatronBarcode, t.DueDate, t.Edited));
        Assert.True((await check.Transactions.SingleAsync(x => x.Id == skipped.Id)).Forced);
        var result = await check.Results.SingleAsync(r => r.TransactionId == skipped.Id && r.IsCurrent);
        Assert.Equal((true, "Checked the shelf", ReportsApp.AdminSys1), (result.Resolved, result.ResolutionNote, result.ResolvedBy));
        var actions = await check.AuditEntries.Where(a => a.SessionId == id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["transaction.edited", "transaction.forced", "result.resolved"], actions);
    }

    [Fact]
    public async Task A_repeated_page_comes_from_the_cache_only_for_its_reader_and_only_until_the_session_changes()
    {
        long id;
        OfflineTransaction skipped;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            skipped = await seed.WithResultAsync("checkin", ResultStatus.Skipped, [ResultCodes.SkipAssetChanged]);
            id = seed.Id;
        }
        var list = $"/Sessions/Exceptions/{id}";
        using var admin = await app.LoginAsync(ReportsApp.AdminSys1);
        // A page read once is not kept (people paging on never read it again) nor looked for; the second reading keeps it.
        var first = await admin.Http.GetAsync(list);
        var made = await admin.Http.GetAsync(list);
        var served = await admin.Http.GetAsync(list);
        Assert.Null(first.Headers.Age);
        Assert.Null(made.Headers.Age);
        Assert.NotNull(served.Headers.Age);
        Assert.Equal(await made.Content.ReadAsStringAsync(), await served.Content.ReadAsStringAsync());

        // Another reader never gets the administrator's page: the auditor's has no forms.
        using var auditor = await app.LoginAsync(ReportsApp.AuditorSys1);
        var auditorPage = await auditor.Http.GetAsync(list);
        Assert.Null(auditorPage.Headers.Age);
        Assert.DoesNotContain("Mark resolved", await auditorPage.Content.ReadAsStringAsync());

        // A change to the session makes the next page fresh; the page with the one-time message is never cached.
        var resolve = await admin.PostFormAsync(PageForms.Action(await admin.Http.GetStringAsync(list), "Resolve"), new() { ["tx"] = skipped.Id.ToString(), ["note"] = "Seen on the shelf" }, list);
        var message = await admin.Http.GetAsync(resolve.Headers.Location!.OriginalString);
        Assert.Null(message.Headers.Age);
        Assert.Contains("marked resolved", await message.Content.ReadAsStringAsync());
        var fresh = await admin.Http.GetAsync(list);
        Assert.Null(fresh.Headers.Age);
        var html = await fresh.Content.ReadAsStringAsync();
        Assert.Contains("Seen on the shelf", html);
        Assert.DoesNotContain("marked resolved", html);
        // The address was asked before, so the fresh page was kept at once, and is served again until the next change.
        var again = await admin.Http.GetAsync(list);
        Assert.NotNull(again.Headers.Age);
        Assert.Equal(html, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_of_a_session_outside_the_subtree_are_not_found_even_with_a_filter_refused_inside_it()
    {
        long id, tx;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            tx = (await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.ActorUserNotFound])).Id;
            id = seed.Id;
        }
        // A filter edited into the address is refused in words inside the subtree, and outside it says nothing either.
        var badFilter = $"/Sessions/Exceptions/{id}?status=lost";
        using var admin = await app.LoginAsync(ReportsApp.AdminSys1);
        var refused = await admin.Http.GetAsync(badFilter);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(Refusals.BadStatusFilter("lost").Sentence, html);
        Assert.Empty(RowPattern().Matches(html));

        using var client = await app.LoginAsync(ReportsApp.AdminSys2);
        foreach (var page in new[] { $"/Sessions/Exceptions/{id}", badFilter, $"/Sessions/FollowUps/{id}", $"/Sessions/Exceptions?id={id}", $"/Sessions/Transaction/{tx}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync(page)).StatusCode);
        }
    }

    [GeneratedRegex("<tr id=\"tx-(\\d+)\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<a href=\"(/Sessions/Exceptions/\\d+\\?[^\"]+)\" rel=\"next\">")]
    private static partial Regex NextPattern();
}
