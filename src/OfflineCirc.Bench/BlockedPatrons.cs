using System.Globalization;
using System.Text;

namespace OfflineCirc.Bench;

/// <summary>
/// Patrons the block list must carry, as a patrons CSV for POST /api/import/patrons: the same path an administrator loads
/// the library system's patrons by, so the list the page downloads is built by the app's own query. Barcodes follow the
/// demo's layout (2, 4710, an 8-digit sequence, a Luhn digit) in a range of their own, so they never meet the demo's cards.
/// </summary>
public static class BlockedPatrons
{
    /// <summary>Sequences of blocked patrons start here; barcodes of nobody start at <see cref="NobodyBase"/>.</summary>
    public const long BlockedBase = 10_000_000;

    public const long NobodyBase = 30_000_000;

    public static string Barcode(long sequence) => WithCheckDigit($"24710{sequence:00000000}");

    public static string Item(long sequence) => WithCheckDigit($"34710{sequence:00000000}");

    /// <summary>
    /// The CSV of <paramref name="count"/> patrons from sequence <see cref="BlockedBase"/> + <paramref name="first"/>: barred,
    /// expired or inactive in turn, so every reason letter is listed.
    /// </summary>
    public static byte[] Csv(int count, int first = 1)
    {
        var csv = new StringBuilder(count * 96);
        csv.Append("card_barcode,family_name,first_given_name,dob,email,day_phone,home_org,profile,active,barred,expire_date,username\r\n");
        for (var n = first; n < first + count; n++)
        {
            var (active, barred, expire) = (n % 3) switch
            {
                0 => ("true", "true", ""),
                1 => ("true", "false", "2024-06-30"),
                _ => ("false", "false", ""),
            };
            var home = $"BR{1 + (n % 4)}";
            csv.Append(CultureInfo.InvariantCulture, $"{Barcode(BlockedBase + n)},Blocked{n},Bench,,,,{home},Adult,{active},{barred},{expire},\r\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static string WithCheckDigit(string digits)
    {
        // Luhn: from the right, every second digit of the payload (starting with the last) is doubled.
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return digits + (char)('0' + (10 - sum % 10) % 10);
    }
}
