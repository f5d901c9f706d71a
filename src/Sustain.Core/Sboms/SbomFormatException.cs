namespace Sustain.Core.Sboms;

/// <summary>A document that cannot be read. The message says where (line and column, or a JSON path) and what is wrong.</summary>
public sealed class SbomFormatException : Exception
{
    public SbomFormatException(string location, string problem)
        : base(location.Length == 0 ? problem : $"{location}: {problem}")
    {
        Location = location;
        Problem = problem;
    }

    public SbomFormatException(string location, string problem, Exception inner)
        : base(location.Length == 0 ? problem : $"{location}: {problem}", inner)
    {
        Location = location;
        Problem = problem;
    }

    public SbomFormatException()
        : this(string.Empty, "The document could not be read.")
    {
    }

    public SbomFormatException(string message)
        : this(string.Empty, message)
    {
    }

    public SbomFormatException(string message, Exception inner)
        : this(string.Empty, message, inner)
    {
    }

    /// <summary>Where the problem is: "line 12, column 4" or "$.components[3].purl"; empty for the whole document.</summary>
    public string Location { get; }

    public string Problem { get; }
}

/// <summary>A document larger than a configured limit.</summary>
public sealed class SbomLimitExceededException : Exception
{
    public SbomLimitExceededException(string message)
        : base(message)
    {
    }

    public SbomLimitExceededException()
    {
    }

    public SbomLimitExceededException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
