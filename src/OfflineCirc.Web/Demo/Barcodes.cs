namespace OfflineCirc.Web.Demo;

/// <summary>
/// Barcodes of the demo consortium: 14 digits, the common library layout.
/// Digit 1 says what it is (2 = patron card, 3 = item), digits 2-5 are the consortium's code (4710),
/// digits 6-13 a sequence number, digit 14 a Luhn (mod 10) check digit over the first 13, so a mistyped
/// or misread digit is caught at the desk. Example: patron 1 is 24710000000014, item 1 is 34710000000012.
/// Primary patron cards use sequence 1..N; extra cards start at 50,000,001.
/// </summary>
public static class Barcodes
{
    public const char PatronPrefix = '2';
    public const char ItemPrefix = '3';
    public const string Institution = "4710";
    public const int ExtraCardBase = 50_000_000;

    public static string Patron(long sequence) => WithCheckDigit($"{PatronPrefix}{Institution}{sequence:00000000}");

    public static string Item(long sequence) => WithCheckDigit($"{ItemPrefix}{Institution}{sequence:00000000}");

    public static string WithCheckDigit(string digits) => digits + LuhnDigit(digits);

    /// <summary>The digit that makes <paramref name="digits"/> + it pass the Luhn check.</summary>
    public static char LuhnDigit(string digits)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    public static bool IsValid(string? barcode) =>
        barcode is { Length: >= 2 } && barcode.All(char.IsAsciiDigit) && LuhnDigit(barcode[..^1]) == barcode[^1];
}
