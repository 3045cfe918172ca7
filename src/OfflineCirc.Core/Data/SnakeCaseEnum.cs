using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OfflineCirc.Core.Data;

/// <summary>Enum names as the snake-case words the CSVs and reports use (CheckedOut = "checked_out").</summary>
public static class SnakeCaseEnum
{
    /// <summary>Each value's word and each word's value, made once per enum type: replay batches and downloads convert millions.</summary>
    private static class Words<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => ToSnake(v.ToString()));
        public static readonly Dictionary<string, T> ByWord = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    public static string ToSnake<T>(T value) where T : struct, Enum =>
        Words<T>.ByValue.TryGetValue(value, out var word) ? word : ToSnake(value.ToString());

    public static string ToSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Words<T>.ByWord.TryGetValue(text, out value))
        {
            return true;
        }
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var compact = text.Trim().Replace("_", "").Replace(" ", "");
        return Enum.TryParse(compact, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var v) ? v : throw new FormatException($"'{text}' is not a known {typeof(T).Name}.");

    public static string CheckList<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => $"'{ToSnake(v)}'"));
}

public class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(
    v => SnakeCaseEnum.ToSnake(v),
    s => SnakeCaseEnum.Parse<T>(s)) where T : struct, Enum;
