namespace OfflineCirc.Core.Formats;

/// <summary>
/// The whole file is refused: it is not a text file of offline transactions (binary, wrong encoding, empty).
/// Intake stores nothing from it and shows <see cref="Exception.Message"/> to the person who uploaded it.
/// </summary>
public sealed class UnreadableFileException : Exception
{
    public const string BinaryMessage =
        "This file is not a text file of offline transactions (it contains binary data).";

    public const string Utf16Message =
        "This file is saved as UTF-16 text; save it as UTF-8 and upload it again.";

    public const string EmptyMessage =
        "This file is empty: it holds no offline transactions.";

    public UnreadableFileException(string message)
        : base(message)
    {
    }

    public UnreadableFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnreadableFileException()
        : base(BinaryMessage)
    {
    }
}
