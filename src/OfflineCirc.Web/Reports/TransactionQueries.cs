using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Reports;

/// <summary>Something a transaction touched: a link when it is in the viewer's libraries, else only a sentence saying so.</summary>
public sealed record Touched(string What, string Text, string? Href);

/// <summary>A patron a message names by id ("Similar to existing patron #2001"), with the page to open when in reach.</summary>
public sealed record PatronLink(long Id, string? Href);

/// <summary>Everything known about one transaction (docs/replay-rules.md, fix and retry): the line, where it came from, each run's result, edits, audit.</summary>
public sealed record TransactionView(
    OfflineTransaction Transaction, OfflineSession Session, UploadedFile? File, IReadOnlyList<TransactionResult> Results,
    IReadOnlyList<TransactionEdit> Edits, IReadOnlyList<AuditEntry> Audit, IReadOnlyList<DeskOverride> Overrides,
    IReadOnlyList<Touched> Touched, IReadOnlyDictionary<long, PatronLink> Patrons);

public sealed partial class TransactionQueries(CircDbContext db, SessionService sessions, UserScope scope)
{
    /// <summary>The transaction when its session is in the viewer's libraries; null (a 404) otherwise.</summary>
    public async Task<TransactionView?> FindAsync(long id, CancellationToken ct)
    {
        var tx = await db.Transactions.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (tx is null || await sessions.FindAsync(tx.SessionId, ct) is not { } session)
        {
            return null;
        }
        var path = await scope.SubtreePathAsync(ct) ?? "\u0000";
        var file = await db.UploadedFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == tx.FileId, ct);
        var results = await db.Results.AsNoTracking().Where(r => r.TransactionId == id).OrderBy(r => r.Run).ToListAsync(ct);
        var edits = await db.TransactionEdits.AsNoTracking().Where(e => e.TransactionId == id).OrderBy(e => e.EditedAt).ThenBy(e => e.Id).ToListAsync(ct);
        var target = $"transaction {id} (";
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.SessionId == tx.SessionId && a.Target != null && a.Target.StartsWith(target))
            .OrderBy(a => a.Id).ToListAsync(ct);
        var touched = await TouchedAsync(results, path, ct);
        var patrons = await PatronLinksAsync(results.Select(r => r.Message), ct);
        return new TransactionView(tx, session, file, results, edits, audit, DeskOverrides.Parse(tx.Payload), touched, patrons);
    }

    /// <summary>Patrons named by id in messages, each with a link to their page when their home library is in reach.</summary>
    public async Task<Dictionary<long, PatronLink>> PatronLinksAsync(IEnumerable<string?> messages, CancellationToken ct)
    {
        var ids = messages.Where(m => m is not null).SelectMany(m => PatronNumber().Matches(m!))
            .Select(m => long.TryParse(m.Groups[1].Value, out var n) ? n : 0).Where(n => n > 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var path = await scope.SubtreePathAsync(ct) ?? "\u0000";
        var found = await db.Patrons.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id,
                Visible = p.HomeOrg!.Path.StartsWith(path),
                Card = p.Cards.OrderByDescending(c => c.Primary).ThenByDescending(c => c.Active).ThenBy(c => c.Id).Select(c => c.Barcode).FirstOrDefault(),
            }).ToListAsync(ct);
        return ids.ToDictionary(id => id, id => found.SingleOrDefault(p => p.Id == id) is { Visible: true, Card: { } card }
            ? new PatronLink(id, PatronHref(card))
            : new PatronLink(id, null));
    }

    public static string PatronHref(string card) => "/Lookup/Patron?barcode=" + Uri.EscapeDataString(card);

    public static string ItemHref(string barcode) => "/Lookup/Item?barcode=" + Uri.EscapeDataString(barcode);

    /// <summary>What every message naming a patron holds, for a quick look before <see cref="PatronNumber"/>.</summary>
    public const string PatronMention = "patron #";

    [GeneratedRegex(@"patron #(\d+)")]
    public static partial Regex PatronNumber();

    private async Task<List<Touched>> TouchedAsync(IReadOnlyList<TransactionResult> results, string path, CancellationToken ct)
    {
        var touched = new List<Touched>();
        var patronIds = results.Select(r => r.PatronId).OfType<long>().Distinct().ToList();
        foreach (var p in await db.Patrons.AsNoTracking().Where(p => patronIds.Contains(p.Id))
                     .Select(p => new { p.Id, p.FamilyName, p.FirstGivenName, Visible = p.HomeOrg!.Path.StartsWith(path), Card = p.Cards.OrderByDescending(c => c.Primary).Select(c => c.Barcode).FirstOrDefault() })
                     .ToListAsync(ct))
        {
            touched.Add(p.Visible && p.Card is not null
                ? new Touched("Patron", $"{p.FamilyName}, {p.FirstGivenName} ({p.Card})", PatronHref(p.Card))
                : new Touched("Patron", "a patron of another library", null));
        }
        var itemIds = results.Select(r => r.ItemId).OfType<long>().Distinct().ToList();
        var circIds = results.Select(r => r.CirculationId).OfType<long>().Distinct().ToList();
        var circs = await db.Circulations.AsNoTracking().Where(c => circIds.Contains(c.Id)).Select(c => new { c.Id, c.ItemId }).ToListAsync(ct);
        var wanted = itemIds.Concat(circs.Select(c => c.ItemId)).Distinct().ToList();
        var items = await db.Items.AsNoTracking().Where(i => wanted.Contains(i.Id))
            .Select(i => new { i.Id, i.Barcode, Title = i.Record!.Title, Visible = i.OwningOrg!.Path.StartsWith(path) }).ToListAsync(ct);
        foreach (var i in items.Where(i => itemIds.Contains(i.Id)))
        {
            touched.Add(i.Visible
                ? new Touched("Item", $"{i.Barcode}: {i.Title}", ItemHref(i.Barcode))
                : new Touched("Item", "an item of another library", null));
        }
        foreach (var c in circs)
        {
            var item = items.FirstOrDefault(i => i.Id == c.ItemId);
            touched.Add(item is { Visible: true }
                ? new Touched("Loan", $"loan #{c.Id} of item {item.Barcode}", ItemHref(item.Barcode) + "#open-loan")
                : new Touched("Loan", $"loan #{c.Id}, of an item at another library", null));
        }
        var holdIds = results.Select(r => r.HoldId).OfType<long>().Distinct().ToList();
        foreach (var h in await db.Holds.AsNoTracking().Where(h => holdIds.Contains(h.Id))
                     .Select(h => new { h.Id, Visible = h.Patron!.HomeOrg!.Path.StartsWith(path), Card = h.Patron.Cards.OrderByDescending(c => c.Primary).Select(c => c.Barcode).FirstOrDefault() })
                     .ToListAsync(ct))
        {
            touched.Add(h.Visible && h.Card is not null
                ? new Touched("Hold", $"hold #{h.Id} of patron {h.Card}", PatronHref(h.Card) + "#holds")
                : new Touched("Hold", $"hold #{h.Id}, of a patron of another library", null));
        }
        var transitIds = results.Select(r => r.TransitId).OfType<long>().Distinct().ToList();
        foreach (var t in await db.Transits.AsNoTracking().Where(t => transitIds.Contains(t.Id))
                     .Join(db.Items, t => t.ItemId, i => i.Id, (t, i) => new { t.Id, i.Barcode, Visible = i.OwningOrg!.Path.StartsWith(path) })
                     .ToListAsync(ct))
        {
            touched.Add(t.Visible
                ? new Touched("Transit", $"transit #{t.Id} of item {t.Barcode}", ItemHref(t.Barcode) + "#transits")
                : new Touched("Transit", $"transit #{t.Id}, of an item at another library", null));
        }
        return touched;
    }
}
