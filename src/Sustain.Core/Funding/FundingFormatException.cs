namespace Sustain.Core.Funding;

/// <summary>A funding file that cannot be read at all. The message says where (line and column) and what is wrong.</summary>
public sealed class FundingFormatException : Exception
{
    public FundingFormatException(string location, string problem)
        : base(location.Length == 0 ? problem : $"{location}: {problem}")
    {
        Location = location;
        Problem = problem;
    }

    public FundingFormatException(string location, string problem, Exception inner)
        : base(location.Length == 0 ? problem : $"{location}: {problem}", inner)
    {
        Location = location;
        Problem = problem;
    }

    public FundingFormatException()
        : this(string.Empty, "The funding file could not be read.")
    {
    }

    public FundingFormatException(string message)
        : this(string.Empty, message)
    {
    }

    public FundingFormatException(string message, Exception inner)
        : this(string.Empty, message, inner)
    {
    }

    /// <summary>Where the problem is: "line 4, column 12"; empty for the whole file.</summary>
    public string Location { get; }

    public string Problem { get; }

    internal static string At(long line, long column) => $"line {line}, column {column}";
}
