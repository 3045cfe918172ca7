using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OfflineCirc.Core.Replay;

internal sealed record NewPatron(
    long Id, string FamilyName, string FirstGivenName, DateOnly? Dob, string? Email, string? DayPhone, string? Address,
    int HomeOrgId, int ProfileId, DateOnly? ExpireDate, string? Username, DateTimeOffset CreatedAt, long OriginSessionId);

internal sealed record NewBlock(long Id, long PatronId, string Name, DateTimeOffset CreatedAt);

internal sealed record NewNoncatCirculation(
    long Id, long PatronId, int NoncatTypeId, int Count, DateTimeOffset CheckoutTime, DateTimeOffset DueTime,
    int OrgId, int? WorkstationId, long OriginSessionId, long OriginTransactionId);

internal sealed record NewInHouseUse(
    long Id, long ItemId, int Count, DateTimeOffset UseTime, int OrgId, int? WorkstationId, long OriginSessionId, long OriginTransactionId);

internal sealed record NewPayment(
    long Id, long PatronId, decimal Amount, DateTimeOffset PaidAt, int OrgId, int? WorkstationId, long OriginSessionId, long OriginTransactionId);

/// <summary>An existing or new patron as the duplicate check of registrations sees it.</summary>
internal sealed record PatronIdentity(long Id, string FamilyName, string FirstGivenName, DateOnly? Dob, string? Email);

/// <summary>
/// The patrons a batch's registrations may repeat, found by family name or e-mail, compared trimmed and without case.
/// A registration asks for the first one added that is the same person: same date of birth, family and given name,
/// or the same e-mail. Looked up by key, not by reading every identity for each registration.
/// </summary>
internal sealed class PatronIdentities
{
    private readonly Dictionary<string, List<(int Order, PatronIdentity Identity)>> _byFamily = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _firstByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PatronIdentity> _all = [];

    public void Add(PatronIdentity identity)
    {
        var order = _all.Count;
        _all.Add(identity);
        if (identity.Dob is not null)
        {
            var family = identity.FamilyName.Trim();
            if (!_byFamily.TryGetValue(family, out var list))
            {
                _byFamily[family] = list = [];
            }
            list.Add((order, identity));
        }
        if (identity.Email?.Trim() is { } email)
        {
            _firstByEmail.TryAdd(email, order);
        }
    }

    /// <summary>The first identity added that is the same person as one born <paramref name="dob"/> with these names, or with this e-mail.</summary>
    public PatronIdentity? FindSame(string? familyName, string? givenName, DateOnly? dob, string? email)
    {
        var first = int.MaxValue;
        if (dob is not null && familyName is not null && givenName is not null && _byFamily.TryGetValue(familyName.Trim(), out var list))
        {
            var given = givenName.Trim();
            foreach (var (order, p) in list)
            {
                if (p.Dob == dob && string.Equals(p.FirstGivenName.Trim(), given, StringComparison.OrdinalIgnoreCase))
                {
                    first = order;
                    break;
                }
            }
        }
        if (email is not null && _firstByEmail.TryGetValue(email.Trim(), out var byEmail))
        {
            first = Math.Min(first, byEmail);
        }
        return first == int.MaxValue ? null : _all[first];
    }
}

/// <summary>
/// Everything one batch reads and changes, kept current in memory so each transaction sees the effects of the ones
/// before it; the writer then stores the changed and new rows in one database transaction.
/// </summary>
internal sealed class ReplayState
{
    public Dictionary<string, CardRow> CardsByBarcode { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> PatronIdsByUsername { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<long, PatronRow> Patrons { get; } = [];
    public Dictionary<string, ItemRow> ItemsByBarcode { get; } = new(StringComparer.Ordinal);
    public Dictionary<long, ItemRow> Items { get; } = [];
    public Dictionary<long, CirculationRow> OpenCirculationByItem { get; } = [];
    /// <summary>Every circulation loaded or made by the batch (the writer stores the new and changed ones).</summary>
    public List<CirculationRow> Circulations { get; } = [];
    /// <summary>Live fines of loaded open circulations, voided when a backdated check-in precedes them.</summary>
    public Dictionary<long, List<BillingRow>> FinesByCirculation { get; } = [];
    public List<BillingRow> Billings { get; } = [];
    /// <summary>Every hold the batch read, in the order read; the rules find them through <see cref="HoldsFor"/>.</summary>
    public List<HoldRow> Holds { get; } = [];
    private readonly Dictionary<long, List<HoldRow>> _holdsByItem = [];
    private readonly Dictionary<long, List<HoldRow>> _holdsByRecord = [];
    public Dictionary<long, TransitRow> OpenTransitByItem { get; } = [];
    public List<TransitRow> Transits { get; } = [];
    public PatronIdentities Identities { get; } = new();
    public List<NewPatron> NewPatrons { get; } = [];
    public List<CardRow> NewCards { get; } = [];
    public List<NewBlock> NewBlocks { get; } = [];
    public List<NewNoncatCirculation> NoncatCirculations { get; } = [];
    public List<NewInHouseUse> InHouseUses { get; } = [];
    public List<NewPayment> Payments { get; } = [];
    /// <summary>Ids reserved for the rows the current batch may create; a run carried across batches reserves per batch.</summary>
    public required IdPool Ids { get; set; }

    /// <summary>Billings read from the database, by id: a run carried across batches reads one only once.</summary>
    public Dictionary<long, BillingRow> BillingsRead { get; } = [];

    // One instance of each short word the rows repeat (circulation modifiers, billing types, staff names): a run that is
    // one transaction holds every row it read to its end, and each read gave each row a string of its own.
    private readonly SharedWords _shared = new();

    /// <summary>The run's one instance of <paramref name="word"/>; the loads' two connections read beside each other.</summary>
    [return: NotNullIfNotNull(nameof(word))]
    public string? Shared(string? word) => _shared.Of(word);

    public ItemRow? Item(string? barcode) =>
        barcode is null ? null : ItemsByBarcode.GetValueOrDefault(barcode.Trim());

    public CardRow? Card(string? barcode) =>
        barcode is null ? null : CardsByBarcode.GetValueOrDefault(barcode.Trim());

    /// <summary>A patron by card barcode, or by username where the recording org allows it.</summary>
    public (PatronRow? Patron, CardRow? Card) FindPatron(string? barcode, bool allowUsername)
    {
        var card = Card(barcode);
        if (card is not null)
        {
            return (Patrons.GetValueOrDefault(card.PatronId), card);
        }
        if (allowUsername && barcode is not null && PatronIdsByUsername.TryGetValue(barcode.Trim(), out var id))
        {
            return (Patrons.GetValueOrDefault(id), null);
        }
        return (null, null);
    }

    public void AddCirculation(CirculationRow circ)
    {
        Circulations.Add(circ);
        if (circ.CheckinTime is null)
        {
            OpenCirculationByItem[circ.ItemId] = circ;
        }
    }

    /// <summary>Adds a hold read or made; false, with nothing added, when the state already holds it.</summary>
    public bool AddHold(HoldRow hold)
    {
        if (!_holdIds.Add(hold.Id))
        {
            return false;
        }
        Holds.Add(hold);
        if (hold.TargetItemId is { } item)
        {
            Index(_holdsByItem, item, hold);
        }
        if (hold.CapturedItemId is { } captured && captured != hold.TargetItemId)
        {
            Index(_holdsByItem, captured, hold);
        }
        if (hold.TargetRecordId is { } record)
        {
            Index(_holdsByRecord, record, hold);
        }
        return true;
    }

    private readonly HashSet<long> _holdIds = [];

    /// <summary>
    /// The holds that can concern <paramref name="item"/>: aimed at it or at its record, or captured for it when read.
    /// A rule captures or fills a hold with an item only when the hold is aimed at the item or its record
    /// (<see cref="Rules.Holds.CanFill"/>), so every hold a rule looks for on the item is among these, and a rule need
    /// not walk all the batch's holds for each check-in and check-out (docs/adr-018, finding 61). A hold may be in both.
    /// </summary>
    public (List<HoldRow> OnItem, List<HoldRow> OnRecord) HoldsFor(ItemRow item) =>
        (_holdsByItem.GetValueOrDefault(item.Id) ?? NoHolds, _holdsByRecord.GetValueOrDefault(item.RecordId) ?? NoHolds);

    private static readonly List<HoldRow> NoHolds = [];

    private static void Index(Dictionary<long, List<HoldRow>> index, long key, HoldRow hold)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(hold);
    }

    public void AddTransit(TransitRow transit)
    {
        Transits.Add(transit);
        if (transit.ReceivedTime is null)
        {
            OpenTransitByItem[transit.ItemId] = transit;
        }
    }
}

/// <summary>
/// One instance of each short word read again and again (a line's type, desk and library, a loan's staff name), safe for
/// reads on several connections at once. Each read of a column gives a string of its own; kept, a million of them are
/// tens of megabytes the collector carries into its oldest generation.
/// </summary>
internal sealed class SharedWords
{
    private readonly ConcurrentDictionary<string, string> _words = new(StringComparer.Ordinal);

    [return: NotNullIfNotNull(nameof(word))]
    public string? Of(string? word) => word is null ? null : _words.GetOrAdd(word, word);
}

/// <summary>Ids reserved from the tables' identity sequences for the rows a batch may create.</summary>
internal sealed class IdPool(Dictionary<string, Queue<long>> reserved)
{
    public long Next(string table) =>
        reserved.TryGetValue(table, out var q) && q.Count > 0
            ? q.Dequeue()
            : throw new InvalidOperationException($"No id reserved for a new {table} row.");
}
