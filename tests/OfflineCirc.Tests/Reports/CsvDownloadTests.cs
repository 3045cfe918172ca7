using System.Net;
using System.Text;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Reports;

public sealed class CsvDownloadTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    private const string Header =
        "session_id,transaction_key,workstation,org,type,recorded_at,effective_at,status,codes,message,patron_barcode,item_barcode," +
        "noncat_type,count,checkout_time,due_date,checkin_time,billed_amount,follow_up,run,processed_at,resolved,resolution_note\r\n";

    private const string Formula = "=HYPERLINK(\"http://x\",\"y\")";

    /// <summary>Four transactions: applied, warning (resolved, billed, two follow-ups), failed (formula barcode), unprocessed.</summary>
    private async Task<long> KnownSessionAsync(string prefix)
    {
        await using var db = app.Db();
        var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
        var applied = await seed.TxAsync("checkout", t =>
        {
            t.PatronBarcode = "P0001";
            t.ItemBarcode = "I0001";
            t.CheckoutTime = Seed.Base;
        }, key: prefix + "-applied", at: Seed.Base);
        await seed.ResultAsync(applied, ResultStatus.Applied, message: "Checked out.", configure: r => r.DueTime = new DateTimeOffset(2026, 3, 20, 3, 59, 59, TimeSpan.Zero));
        var warning = await seed.TxAsync("checkin", t =>
        {
            t.ItemBarcode = "I0002";
            t.Backdate = Seed.Base.AddHours(-1);
            t.EffectiveAt = Seed.Base.AddHours(-1);
        }, key: prefix + "-warning", at: Seed.Base.AddMinutes(5));
        await seed.ResultAsync(warning, ResultStatus.Warning, [ResultCodes.CopyStatusLost, ResultCodes.RouteItem], r =>
        {
            r.CheckinTime = Seed.Base.AddHours(-1);
            r.BilledAmount = 1.5m;
            r.FollowUps = [FollowUpKinds.LostReturned, FollowUpKinds.TransitHome];
            r.Resolved = true;
            r.ResolutionNote = "Refund reviewed, ok";
        }, message: "Checked in; lost item returned, sent home.");
        var failed = await seed.TxAsync("checkout", t =>
        {
            t.PatronBarcode = Formula;
            t.ItemBarcode = "I0003";
            t.DueDate = "2026-03-20";
        }, key: prefix + "-failed", workstation: "BR1-CIRC-02", at: Seed.Base.AddMinutes(10));
        await seed.ResultAsync(failed, ResultStatus.Failed, [ResultCodes.ActorUserNotFound], message: "No patron has this card barcode.");
        await seed.TxAsync("in_house_use", t =>
        {
            t.ItemBarcode = "I0004";
            t.Count = 3;
        }, key: prefix + "-unprocessed", at: Seed.Base.AddMinutes(15));
        return seed.Id;
    }

    [Fact]
    public async Task Exceptions_csv_is_exactly_the_non_applied_rows_in_design_columns()
    {
        var id = await KnownSessionAsync("exc");
        using var client = app.Client(app.AuditorToken);
        var response = await client.GetAsync($"/api/sessions/{id}/exceptions.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"session-{id}-exceptions.csv", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var expected = Header +
            $"{id},exc-warning,BR1-CIRC-01,BR1,checkin,2026-03-05T14:05:00+00:00,2026-03-05T13:00:00+00:00,Warning,COPY_STATUS_LOST;ROUTE_ITEM," +
            "\"Checked in; lost item returned, sent home.\",,I0002,,,,,2026-03-05T13:00:00+00:00,1.50,LOST_RETURNED;TRANSIT_HOME,1," +
            "2026-03-06T14:00:00+00:00,true,\"Refund reviewed, ok\"\r\n" +
            $"{id},exc-failed,BR1-CIRC-02,BR1,checkout,2026-03-05T14:10:00+00:00,2026-03-05T14:10:00+00:00,Failed,ACTOR_USER_NOT_FOUND," +
            "No patron has this card barcode.,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",I0003,,,,,,,,1,2026-03-06T14:00:00+00:00,false,\r\n";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Results_csv_has_the_same_columns_for_every_transaction_including_unprocessed()
    {
        var id = await KnownSessionAsync("res");
        using var client = app.Client(app.AdminToken);
        var bytes = await client.GetByteArrayAsync($"/api/sessions/{id}/results.csv");
        var expected = Header +
            $"{id},res-applied,BR1-CIRC-01,BR1,checkout,2026-03-05T14:00:00+00:00,2026-03-05T14:00:00+00:00,Applied,,Checked out.,P0001,I0001,,," +
            "2026-03-05T14:00:00+00:00,2026-03-20T03:59:59+00:00,,,,1,2026-03-06T14:00:00+00:00,false,\r\n" +
            $"{id},res-warning,BR1-CIRC-01,BR1,checkin,2026-03-05T14:05:00+00:00,2026-03-05T13:00:00+00:00,Warning,COPY_STATUS_LOST;ROUTE_ITEM," +
            "\"Checked in; lost item returned, sent home.\",,I0002,,,,,2026-03-05T13:00:00+00:00,1.50,LOST_RETURNED;TRANSIT_HOME,1," +
            "2026-03-06T14:00:00+00:00,true,\"Refund reviewed, ok\"\r\n" +
            $"{id},res-failed,BR1-CIRC-02,BR1,checkout,2026-03-05T14:10:00+00:00,2026-03-05T14:10:00+00:00,Failed,ACTOR_USER_NOT_FOUND," +
            "No patron has this card barcode.,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",I0003,,,,,,,,1,2026-03-06T14:00:00+00:00,false,\r\n" +
            $"{id},res-unprocessed,BR1-CIRC-01,BR1,in_house_use,2026-03-05T14:15:00+00:00,2026-03-05T14:15:00+00:00,,,,,I0004,,3,,,,,,,,,\r\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), bytes);
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+44 123", "'+44 123")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("\rCR", "'\rCR")]
    [InlineData(Formula, "'" + Formula)]
    public async Task Cells_that_start_a_formula_are_neutralised(string barcode, string shown)
    {
        long id;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            await seed.WithResultAsync("checkin", ResultStatus.Failed, [ResultCodes.AssetCopyNotFound], tx: t => t.ItemBarcode = barcode);
            id = seed.Id;
        }
        using var client = app.Client(app.AuditorToken);
        foreach (var file in new[] { "exceptions.csv", "results.csv" })
        {
            var text = await client.GetStringAsync($"/api/sessions/{id}/{file}");
            var row = ParseCsv(text)[1];
            Assert.Equal(shown, row[11]);
        }
    }

    [Fact]
    public async Task Exceptions_csv_applies_the_filters_of_the_page()
    {
        long id;
        string failedKey;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            await seed.WithResultAsync("checkin", ResultStatus.Warning, [ResultCodes.NoChange]);
            failedKey = (await seed.WithResultAsync("checkout", ResultStatus.Failed, [ResultCodes.AssetCopyNotFound])).Key;
            id = seed.Id;
        }
        using var client = app.Client(app.AuditorToken);
        var rows = ParseCsv(await client.GetStringAsync($"/api/sessions/{id}/exceptions.csv?status=Failed"));
        Assert.Equal(2, rows.Count);
        Assert.Equal("Failed", rows[1][7]);
        Assert.Equal(failedKey, rows[1][1]);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/sessions/{id}/exceptions.csv?status=bogus")).StatusCode);
    }

    [Fact]
    public async Task Downloads_outside_the_subtree_are_not_found()
    {
        long id;
        await using (var db = app.Db())
        {
            var seed = await Seed.SessionAsync(db, app.Orgs.Br1);
            await seed.WithResultAsync("checkin", ResultStatus.Warning, [ResultCodes.NoChange]);
            id = seed.Id;
        }
        using var other = app.Client(app.OtherAdminToken);
        foreach (var file in new[] { "exceptions.csv", "results.csv", "followups.csv", "rejected-lines.csv" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/sessions/{id}/{file}")).StatusCode);
        }
        using var mine = app.Client(app.AdminToken);
        foreach (var file in new[] { "exceptions.csv", "results.csv", "followups.csv", "rejected-lines.csv" })
        {
            Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/api/sessions/{id}/{file}")).StatusCode);
        }
    }

    /// <summary>A small RFC 4180 reader, independent of the writer under test.</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }
        Assert.Empty(cell.ToString());
        return rows;
    }
}
