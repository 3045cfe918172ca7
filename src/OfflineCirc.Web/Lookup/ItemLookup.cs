using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Lookup;

/// <summary>A patron named on an item's page; name and card only when the patron is in the reader's libraries.</summary>
public sealed record PatronRef(string? Barcode, string? Name, bool Visible);

public sealed record ItemLoanView(PatronRef Patron, DateTimeOffset CheckoutTime, DateTimeOffset DueTime, int Renewals, string CheckoutOrg, bool Overdue);

public sealed record ItemHoldView(long Id, string Status, string Level, PatronRef Patron, string PickupOrg, DateTimeOffset RequestTime, bool Frozen, DateTimeOffset? ShelfExpiryTime);

public sealed record TransitView(long Id, string FromOrg, string ToOrg, DateTimeOffset SentTime, DateTimeOffset? ReceivedTime, bool ForHold);

public sealed record ItemView(
    long Id,
    string Barcode,
    long RecordId,
    string Title,
    string? Author,
    string Status,
    DateTimeOffset? StatusChangedAt,
    long? StatusChangeSessionId,
    string OwningOrg,
    string OwningOrgName,
    string OwningOrgTimeZone,
    string? Location,
    string? CircModifier,
    decimal? Price,
    string? AlertMessage,
    bool Holdable,
    ItemLoanView? OpenLoan,
    IReadOnlyList<ItemHoldView> Holds,
    IReadOnlyList<TransitView> Transits);

/// <summary>An item found by barcode, only when its owning library is in the reader's subtree.</summary>
public class ItemLookup(CircDbContext db, UserScope scope)
{
    private const int RecentTransits = 10;

    public async Task<ItemView?> FindAsync(string? barcode, CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct);
        var code = barcode?.Trim();
        if (path is null || string.IsNullOrEmpty(code))
        {
            return null;
        }
        var item = await db.Items.AsNoTracking().Include(i => i.Record).Include(i => i.OwningOrg)
            .SingleOrDefaultAsync(i => i.Barcode == code && i.OwningOrg!.Path.StartsWith(path), ct);
        if (item is null)
        {
            return null;
        }
        var now = DateTimeOffset.UtcNow;
        var loan = await db.Circulations.AsNoTracking()
            .Where(c => c.ItemId == item.Id && c.CheckinTime == null)
            .Select(c => new { c.PatronId, c.CheckoutTime, c.DueTime, c.RenewalCount, c.CheckoutOrgId })
            .SingleOrDefaultAsync(ct);
        var holds = await db.Holds.AsNoTracking()
            .Where(h => (h.Status == HoldStatus.Pending || h.Status == HoldStatus.Captured)
                && (h.TargetItemId == item.Id || h.CapturedItemId == item.Id || (h.TargetItemId == null && h.TargetRecordId == item.RecordId)))
            .OrderBy(h => h.RequestTime)
            .ToListAsync(ct);
        var transits = await db.Transits.AsNoTracking()
            .Where(t => t.ItemId == item.Id)
            .OrderByDescending(t => t.SentTime).ThenByDescending(t => t.Id)
            .Take(RecentTransits)
            .ToListAsync(ct);

        var patronIds = holds.Select(h => h.PatronId).Concat(loan is null ? Array.Empty<long>() : new[] { loan.PatronId }).Distinct().ToList();
        var patrons = await PatronRefsAsync(patronIds, path, ct);
        var orgIds = holds.Select(h => h.PickupOrgId)
            .Concat(transits.SelectMany(t => new[] { t.FromOrgId, t.ToOrgId }))
            .Concat(loan is null ? Array.Empty<int>() : new[] { loan.CheckoutOrgId })
            .Distinct().ToList();
        var orgs = await db.OrgUnits.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.ShortName, ct);
        string Org(int id) => orgs.GetValueOrDefault(id, "");

        return new ItemView(
            item.Id,
            item.Barcode,
            item.RecordId,
            item.Record?.Title ?? "",
            item.Record?.Author,
            SnakeCaseEnum.ToSnake(item.Status),
            item.StatusChangedAt,
            item.StatusChangeSessionId,
            item.OwningOrg!.ShortName,
            item.OwningOrg.Name,
            item.OwningOrg.TimeZone,
            item.Location,
            item.CircModifier,
            item.Price,
            item.AlertMessage,
            item.Holdable,
            loan is null ? null : new ItemLoanView(patrons[loan.PatronId], loan.CheckoutTime, loan.DueTime, loan.RenewalCount, Org(loan.CheckoutOrgId), loan.DueTime < now),
            holds.Select(h => new ItemHoldView(h.Id, SnakeCaseEnum.ToSnake(h.Status), h.TargetItemId is null ? "record" : "item",
                patrons[h.PatronId], Org(h.PickupOrgId), h.RequestTime, h.Frozen, h.ShelfExpiryTime)).ToList(),
            transits.Select(t => new TransitView(t.Id, Org(t.FromOrgId), Org(t.ToOrgId), t.SentTime, t.ReceivedTime, t.HoldId is not null)).ToList());
    }

    // Patrons of other libraries stay anonymous: the item is ours to see, their borrower is not.
    private async Task<Dictionary<long, PatronRef>> PatronRefsAsync(List<long> ids, string path, CancellationToken ct)
    {
        var rows = await db.Patrons.AsNoTracking()
            .Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id,
                p.FamilyName,
                p.FirstGivenName,
                Visible = p.HomeOrg!.Path.StartsWith(path),
                Barcode = p.Cards.OrderByDescending(c => c.Primary).ThenByDescending(c => c.Active).ThenBy(c => c.Id).Select(c => c.Barcode).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var found = rows.ToDictionary(
            r => r.Id,
            r => r.Visible ? new PatronRef(r.Barcode, $"{r.FamilyName}, {r.FirstGivenName}", true) : new PatronRef(null, null, false));
        foreach (var id in ids.Where(id => !found.ContainsKey(id)))
        {
            found[id] = new PatronRef(null, null, false);
        }
        return found;
    }
}
