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

    private static string WithCheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            // The check digit will sit to the right, so the rightmost body digit is doubled.
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return body + (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
