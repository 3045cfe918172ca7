namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>Barcodes that pass (or on purpose fail) the default rules: 14 digits, 2 for patrons, 3 for items, Luhn.</summary>
public static class Barcodes
{
    private static int _next = 1000;

    public static string Patron() => WithCheckDigit("2" + Interlocked.Increment(ref _next).ToString("D12"));

    public static string Item() => WithCheckDigit("3" + Interlocked.Increment(ref _next).ToString("D12"));

    /// <summary>A well-formed item barcode whose last digit is off by one.</summary>
    public static string ItemWithWrongCheckDigit()
    {
        var good = Item();
        return good[..^1] + (char)('0' + ((good[^1] - '0' + 1) % 10));
    }

    private static string WithCheckDigit(string body) => OfflineCirc.Web.Demo.Barcodes.WithCheckDigit(body);
}
