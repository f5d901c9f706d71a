namespace Sustain.Core.Purls;

/// <summary>A package URL, or the parts given to build one, that the package URL specification does not allow.</summary>
public sealed class PurlException : FormatException
{
    public PurlException()
    {
    }

    public PurlException(string message)
        : base(message)
    {
    }

    public PurlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
