using System.CommandLine;
using Sustain.Cli.Allocation;
using Sustain.Cli.Purls;
using Sustain.Cli.Sboms;
using Sustain.Cli.Seeding;
using Sustain.Cli.Uploads;

namespace Sustain.Cli;

/// <summary>
/// The <c>sustain</c> command line. Exit codes: 0 success, 2 invalid input (one clear line on
/// standard error), 1 anything else. No stack trace ever reaches the user.
/// </summary>
public static class SustainCli
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Sustain: see what open source you depend on, and fund it.")
        {
            SbomCommands.Create(stdout),
            PurlCommands.Create(stdout),
            AllocateCommand.Create(stdout),
            UploadCommand.Create(stdout, stderr),
            SeedCommand.Create(stdout),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"sustain: {parsed.Errors[0].Message} (see 'sustain --help')");
            return InvalidInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (InvalidInputException e)
        {
            stderr.WriteLine($"sustain: {e.Message}");
            return InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"sustain: {e.Message}");
            return InvalidInput;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"sustain: unexpected failure: {e.GetType().Name}: {e.Message}");
            return Failure;
        }
    }
}

/// <summary>Input the user can fix: the message is printed as it is, as one line.</summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException()
    {
    }

    public InvalidInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
