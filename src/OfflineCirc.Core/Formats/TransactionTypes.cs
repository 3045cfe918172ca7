using OfflineCirc.Core.Transactions;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Formats;

/// <summary>The type codes, named by their kinds (<see cref="TransactionKinds"/>); kept for code that needs only the names.</summary>
public static class TransactionTypes
{
    public const string Checkout = Transactions.Kinds.Checkout.Code;
    public const string Renew = Renewal.Code;
    public const string Checkin = Transactions.Kinds.Checkin.Code;
    public const string InHouseUse = Transactions.Kinds.InHouseUse.Code;
    public const string Register = Registration.Code;
    public const string Payment = Transactions.Kinds.Payment.Code;

    /// <summary>Every type code, in the order of <see cref="TransactionKinds.All"/>.</summary>
    public static readonly IReadOnlyList<string> All = TransactionKinds.All.Select(k => k.Name).ToArray();
}
