using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Transactions;

/// <summary>What one replay batch must read, gathered from each transaction's kind before anything is read.</summary>
internal sealed class BatchNeeds
{
    public HashSet<string> PatronKeys { get; } = new(StringComparer.Ordinal);
    /// <summary>Keys that name a patron by username when no card has that barcode (cards win, as the rules look).</summary>
    public HashSet<string> Usernames { get; } = new(StringComparer.Ordinal);
    /// <summary>Usernames new patrons ask for, read whatever the cards say: a taken one refuses the registration.</summary>
    public HashSet<string> NewUsernames { get; } = new(StringComparer.Ordinal);
    public HashSet<string> ItemBarcodes { get; } = new(StringComparer.Ordinal);
    /// <summary>Cards of patrons whose open billings the batch needs (payers).</summary>
    public HashSet<string> BillingCards { get; } = new(StringComparer.Ordinal);
    /// <summary>New patrons, for the duplicate check of registrations.</summary>
    public List<RegisteredPatron> NewPatrons { get; } = [];

    /// <summary>A patron named by card barcode, or by username where the org allows it.</summary>
    public void Patron(string? barcode)
    {
        if (Trimmed(barcode) is { } key)
        {
            PatronKeys.Add(key);
            Usernames.Add(key);
        }
    }

    public void Item(string? barcode)
    {
        if (Trimmed(barcode) is { } key)
        {
            ItemBarcodes.Add(key);
        }
    }

    public void Billings(string? card)
    {
        if (Trimmed(card) is { } key)
        {
            BillingCards.Add(key);
        }
    }

    public void Registration(RegisteredPatron patron)
    {
        NewPatrons.Add(patron);
        if (Trimmed(patron.Card) is { } card)
        {
            PatronKeys.Add(card);
        }
        if (Trimmed(patron.Usrname) is { } username)
        {
            NewUsernames.Add(username);
        }
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Upper bounds of the new rows of each table a batch may create, so their ids can be reserved in one query.</summary>
internal sealed class IdNeeds
{
    public Dictionary<string, int> Counts { get; } = [];

    public void Add(string table, int rows = 1) => Counts[table] = Counts.GetValueOrDefault(table) + rows;
}
