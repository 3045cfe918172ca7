using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Web.Offline;

/// <summary>
/// What the capture page may warn about and record as an override when staff press Allow: the replay's result codes where
/// one names the situation, and desk-only codes for what only the desk can see (a mistyped barcode, a repeated scan).
/// </summary>
public static class DeskWarnings
{
    public const string BadCheckDigit = "BAD_CHECK_DIGIT";
    public const string BadBarcodeFormat = "BAD_BARCODE_FORMAT";
    public const string DuplicateCapture = "DUPLICATE_CAPTURE";

    /// <summary>Desk-only codes, in words staff understand; the replay never gives them.</summary>
    public static readonly IReadOnlyDictionary<string, string> DeskOnly = new Dictionary<string, string>
    {
        [BadCheckDigit] = "The barcode has a wrong check digit: it may have been mistyped or misread.",
        [BadBarcodeFormat] = "The barcode does not match the library's barcode format.",
        [DuplicateCapture] = "The same item or card was already captured in this workstation's pending set.",
    };

    /// <summary>Block-list reason letters and the result code each one stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> BlockReasons = new Dictionary<string, string>
    {
        ["L"] = ResultCodes.PatronCardInactive,
        ["E"] = ResultCodes.PatronAccountExpired,
        ["B"] = ResultCodes.PatronBarred,
        ["D"] = ResultCodes.PatronBlocked,
    };

    /// <summary>Result codes the desk warns with, besides the block-list ones.</summary>
    private static readonly string[] FromReplay = [ResultCodes.DueDateInPast, ResultCodes.PatronBarcodeExists];

    /// <summary>Every code the page may show or record, with its description: one catalogue for desk and portal.</summary>
    public static Dictionary<string, string> Descriptions()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in BlockReasons.Values.Concat(FromReplay))
        {
            codes[code] = ResultCodes.Describe(code);
        }
        foreach (var (code, text) in DeskOnly)
        {
            codes[code] = ResultCodes.Descriptions.GetValueOrDefault(code, text);
        }
        return codes;
    }

    // The one place the page's list of types is read; the transaction kind catalogue replaces it.
    private static readonly Dictionary<string, string> TypeNames = new(StringComparer.Ordinal)
    {
        [TransactionTypes.Checkout] = "Check-out",
        [TransactionTypes.Renew] = "Renewal",
        [TransactionTypes.Checkin] = "Check-in",
        [TransactionTypes.InHouseUse] = "In-house use",
        [TransactionTypes.Register] = "Registration",
        [TransactionTypes.Payment] = "Payment",
    };

    /// <summary>The transaction types the capture page offers, each with the name staff see.</summary>
    public static IEnumerable<object> TransactionTypeList() =>
        TransactionTypes.All.Select(t => new { type = t, name = TypeNames.GetValueOrDefault(t, t) });
}
