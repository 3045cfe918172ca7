using Npgsql;
using OfflineCirc.Core.Transactions;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// One batch's reads, in two parts around the commit of the batch before it (docs/adr-018, finding 18). While that
/// batch is still being written, <see cref="BeginAsync"/> reads every row it cannot have changed: items it did not
/// load (locked, with their loans, holds and transits), patrons it did not load, cards, and the billings of both. Once
/// it commits, <see cref="FinishAsync"/> reads the rest: the shared items and patrons, holds it loaded, cards and
/// usernames it may have created. Every row is thus read after the last write to it by this run committed, as a batch
/// that waited would read it, and nothing is carried from one batch's memory to the next.
/// </summary>
/// <remarks>
/// Why the early rows cannot have changed: a batch writes only rows it loaded or created. Loans, transits and
/// circulation fines hang off its own items; billings, payments and loan counts off its own patrons (a loan's patron
/// and a new patron are loaded with the batch); holds are the ones it loaded. Items the open batch holds are locked by
/// it, so the early read leaves them out and never waits for it.
/// </remarks>
internal sealed class BatchLoad
{
    private readonly NpgsqlConnection _conn;
    private readonly BatchNeeds _needs;
    private readonly ReplayState? _writing;
    private readonly Dictionary<long, BillingRow> _billings = [];
    private readonly HashSet<long> _holdIds = [];
    private readonly HashSet<long> _payersRead = [];
    private readonly HashSet<long> _finesRead = [];
    private string[] _lateItems = [];
    private bool _finishing;

    private BatchLoad(NpgsqlConnection conn, BatchNeeds needs, ReplayState? writing, ReplayState state)
    {
        _conn = conn;
        _needs = needs;
        _writing = writing;
        State = state;
    }

    public ReplayState State { get; }

    /// <summary>
    /// Reads what the batch needs that <paramref name="writing"/> (the batch still being written, or null) cannot
    /// change: its items on <paramref name="conn"/>, in the batch's own transaction, and its patrons on
    /// <paramref name="side"/> at the same time.
    /// </summary>
    public static async Task<BatchLoad> BeginAsync(NpgsqlConnection conn, NpgsqlConnection side, List<TxRow> batch,
        ReplayState? writing, CancellationToken ct)
    {
        var needs = new BatchNeeds();
        foreach (var t in batch)
        {
            TransactionKinds.Find(t.Type)?.Needs(t, needs);
        }
        var load = new BatchLoad(conn, needs, writing, new ReplayState { Ids = await BatchLoader.ReserveIdsAsync(conn, batch, ct) });
        var early = new List<string>(needs.ItemBarcodes.Count);
        var late = new List<string>();
        foreach (var barcode in needs.ItemBarcodes)
        {
            (writing?.ItemsByBarcode.ContainsKey(barcode) == true ? late : early).Add(barcode);
        }
        load._lateItems = [.. late];
        await Task.WhenAll(load.ReadPatronsAsync(side, ct), load.ReadItemsAsync(conn, [.. early], [], ct));
        await load.ReadLoanPatronsAndBillingsAsync(ct);
        return load;
    }

    /// <summary>Reads the rest, once the batch that was being written has committed; returns the batch's state.</summary>
    public async Task<ReplayState> FinishAsync(CancellationToken ct)
    {
        if (_writing is null)
        {
            return State;
        }
        _finishing = true;
        var s = State;
        if (_writing.NewCards.Count > 0)
        {
            await BatchLoader.LoadCardsAsync(_conn, s, [.. _needs.PatronKeys.Where(k => !s.CardsByBarcode.ContainsKey(k))], ct);
        }
        if (_writing.NewPatrons.Count > 0)
        {
            await BatchLoader.LoadUsernamesAsync(_conn, s, [.. Usernames().Where(k => !s.PatronIdsByUsername.ContainsKey(k))], ct);
            if (_needs.NewPatrons.Count > 0)
            {
                await BatchLoader.LoadIdentitiesAsync(_conn, s, _needs.NewPatrons, ct);
            }
        }

        // Holds the batch before loaded may have changed: they are read again by id with the shared items' own.
        var written = _writing.Holds.Select(h => h.Id).ToHashSet();
        var stale = s.Holds.Where(h => written.Contains(h.Id)).ToList();
        foreach (var h in stale)
        {
            s.Holds.Remove(h);
            _holdIds.Remove(h.Id);
        }
        await ReadItemsAsync(_conn, _lateItems, [.. stale.Select(h => h.Id)], ct);
        await BatchLoader.LoadPatronsAsync(_conn, s, [.. KeyedPatronIds().Where(id => !s.Patrons.ContainsKey(id))], ct);
        await ReadLoanPatronsAndBillingsAsync(ct);
        return s;
    }

    /// <summary>Usernames to look up: keys no card has (cards win when the rules look a patron up), and those new patrons ask for.</summary>
    private IEnumerable<string> Usernames() =>
        _needs.Usernames.Where(k => !State.CardsByBarcode.ContainsKey(k)).Union(_needs.NewUsernames);

    private IEnumerable<long> KeyedPatronIds() =>
        State.CardsByBarcode.Values.Select(c => c.PatronId).Concat(State.PatronIdsByUsername.Values).Distinct();

    /// <summary>Whether a patron's row can be read now: after the batch before committed, or when that batch did not load it.</summary>
    private bool Readable(long patronId) => _finishing || _writing?.Patrons.ContainsKey(patronId) != true;

    private async Task ReadPatronsAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var s = State;
        await BatchLoader.LoadCardsAsync(conn, s, [.. _needs.PatronKeys], ct);
        await BatchLoader.LoadUsernamesAsync(conn, s, [.. Usernames()], ct);
        await BatchLoader.LoadPatronsAsync(conn, s, [.. KeyedPatronIds().Where(Readable)], ct);
        // A registration must see the patrons the batch before registered, which are not committed yet.
        if (_needs.NewPatrons.Count > 0 && _writing?.NewPatrons.Count is null or 0)
        {
            await BatchLoader.LoadIdentitiesAsync(conn, s, _needs.NewPatrons, ct);
        }
    }

    /// <summary>Items by barcode (locked), their open loans and transits, the holds on them or their records, and holds by id.</summary>
    private async Task ReadItemsAsync(NpgsqlConnection conn, string[] barcodes, long[] holdIds, CancellationToken ct)
    {
        var items = barcodes.Length == 0 ? [] : await BatchLoader.LoadItemsAsync(conn, State, barcodes, ct);
        if (items.Count == 0 && holdIds.Length == 0)
        {
            return;
        }
        var itemIds = items.Select(i => i.Id).ToArray();
        if (itemIds.Length > 0)
        {
            await BatchLoader.LoadOpenLoansAsync(conn, State, itemIds, ct);
            await BatchLoader.LoadOpenTransitsAsync(conn, State, itemIds, ct);
        }
        await BatchLoader.LoadHoldsAsync(conn, itemIds, [.. items.Select(i => i.RecordId).Distinct()], holdIds, hold =>
        {
            // A hold on the record of an early and a shared item is read twice; the rules see the first copy.
            if (_holdIds.Add(hold.Id))
            {
                State.Holds.Add(hold);
            }
        }, ct);
    }

    /// <summary>
    /// The patrons of loaded loans no card named, then the billings of the payers and loans not read yet, each row
    /// once: a billing can be both a payer's open one and a loan's fine, and the rules must change one copy.
    /// </summary>
    private async Task ReadLoanPatronsAndBillingsAsync(CancellationToken ct)
    {
        var s = State;
        var more = s.Circulations.Select(c => c.PatronId).Where(id => !s.Patrons.ContainsKey(id) && Readable(id)).Distinct().ToArray();
        if (more.Length > 0)
        {
            await BatchLoader.LoadPatronsAsync(_conn, s, more, ct);
        }
        var payers = _needs.BillingCards.Select(c => s.Card(c)?.PatronId).OfType<long>()
            .Where(id => s.Patrons.ContainsKey(id) && _payersRead.Add(id)).ToHashSet();
        // A loan's fines change with its patron's payments, so they wait for the patron's row.
        var circIds = s.OpenCirculationByItem.Values.Where(c => Readable(c.PatronId)).Select(c => c.Id).Where(_finesRead.Add).ToArray();
        if (payers.Count == 0 && circIds.Length == 0)
        {
            return;
        }
        foreach (var id in payers)
        {
            s.Patrons[id].OpenBillings = [];
        }
        await BatchLoader.LoadBillingsAsync(_conn, [.. payers], circIds, row =>
        {
            var bill = _billings.TryGetValue(row.Id, out var known) ? known : _billings[row.Id] = row;
            if (bill.AmountPaid < bill.Amount && payers.Contains(bill.PatronId) && !s.Patrons[bill.PatronId].OpenBillings!.Contains(bill))
            {
                s.Patrons[bill.PatronId].OpenBillings!.Add(bill);
            }
            if (bill.CirculationId is { } circId)
            {
                if (!s.FinesByCirculation.TryGetValue(circId, out var list))
                {
                    s.FinesByCirculation[circId] = list = [];
                }
                if (!list.Contains(bill))
                {
                    list.Add(bill);
                }
            }
        }, ct);
    }
}
