namespace OfflineCirc.Core.Formats;

/// <summary>The transaction type codes of DESIGN section 4.1 (plus Koha's payment).</summary>
public static class TransactionTypes
{
    public const string Checkout = "checkout";
    public const string Renew = "renew";
    public const string Checkin = "checkin";
    public const string InHouseUse = "in_house_use";
    public const string Register = "register";
    public const string Payment = "payment";

    public static readonly IReadOnlyList<string> All = [Checkout, Renew, Checkin, InHouseUse, Register, Payment];
}
