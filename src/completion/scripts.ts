// Shell scripts for `alto completion <shell>`: each asks `alto __complete -- <words…>` (the `--` keeps
// alto's global options among the words from being parsed as options) and turns its
// answer (candidates one per line, then `:<directive>`; 4 = no file names) into the shell's form.

import type { CompletionShell } from './shells.js';

// bash splits words at COMP_WORDBREAKS (`=`, `:`): the script re-splits the line on blanks, asks
// with whole words, and strips from each candidate what lies before bash's own current word.
const BASH = `# bash completion for alto. Load it now: source <(alto completion bash)
# or for every shell: alto completion bash > ~/.local/share/bash-completion/completions/alto
_alto_complete() {
    local line="\${COMP_LINE:0:COMP_POINT}"
    local -a words
    read -ra words <<< "$line"
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    (( \${#words[@]} < 2 )) && return 0
    local cur="\${words[\${#words[@]}-1]}"
    local out
    out="$(alto __complete -- "\${words[@]:1}" 2>/dev/null)" || return 0
    local directive=0 candidate
    local -a candidates=()
    while IFS= read -r candidate; do
        if [[ "$candidate" =~ ^:[0-9]+$ ]]; then
            directive="\${candidate:1}"
        elif [[ -n "$candidate" ]]; then
            candidates+=("$candidate")
        fi
    done <<< "$out"
    local bashcur="\${COMP_WORDS[COMP_CWORD]}"
    local prefix="\${cur%"$bashcur"}"
    COMPREPLY=()
    for candidate in "\${candidates[@]}"; do
        [[ "$candidate" == "$cur"* ]] && COMPREPLY+=("\${candidate#"$prefix"}")
    done
    if (( directive & 2 )); then compopt -o nospace 2>/dev/null; fi
    if (( directive & 4 )); then compopt +o default 2>/dev/null; fi
    return 0
}
complete -o default -F _alto_complete alto
`;

const ZSH = `#compdef alto
# zsh completion for alto. Load it now: source <(alto completion zsh)   (after compinit)
# or for every shell: alto completion zsh > "\${fpath[1]}/_alto"
_alto() {
    local out line directive=0
    local -a candidates
    out="$(alto __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)" || return 1
    for line in "\${(@f)out}"; do
        if [[ "$line" == :<-> ]]; then
            directive="\${line#:}"
        elif [[ -n "$line" ]]; then
            candidates+=("$line")
        fi
    done
    if (( \${#candidates} )); then
        if (( directive & 2 )); then compadd -S '' -- "\${candidates[@]}"; else compadd -- "\${candidates[@]}"; fi
    elif (( ! (directive & 4) )); then
        _files
    fi
}
if [[ "$funcstack[1]" == "_alto" ]]; then
    _alto "$@"
else
    compdef _alto alto
fi
`;

const FISH = `# fish completion for alto. Load it now: alto completion fish | source
# or for every shell: alto completion fish > ~/.config/fish/completions/alto.fish
function __alto_complete
    set -l words (commandline -opc)[2..-1] (commandline -ct)
    set -l directive 0
    set -l found 0
    for line in (alto __complete -- $words 2>/dev/null)
        if string match -qr '^:[0-9]+$' -- $line
            set directive (string sub -s 2 -- $line)
        else if test -n "$line"
            set found 1
            echo $line
        end
    end
    if test $found -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c alto -f -a '(__alto_complete)'
`;

const POWERSHELL = `# PowerShell completion for alto. Load it now: alto completion powershell | Out-String | Invoke-Expression
# or for every session: add that line to $PROFILE
Register-ArgumentCompleter -Native -CommandName alto -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() } | Select-Object -Skip 1)
    if ($wordToComplete -eq '') {
        # Windows PowerShell and the Legacy mode drop an empty argument; '""' reaches alto as "".
        if ($PSVersionTable.PSVersion -lt [version]'7.3' -or $PSNativeCommandArgumentPassing -eq 'Legacy') { $words += '""' } else { $words += '' }
    }
    $out = @(& alto __complete '--' @words 2>$null)
    foreach ($line in $out) {
        if ($line -match '^:\\d+$' -or $line -eq '') { continue }
        [System.Management.Automation.CompletionResult]::new($line, $line, 'ParameterValue', $line)
    }
}
`;

const SCRIPTS: Record<CompletionShell, string> = { bash: BASH, zsh: ZSH, fish: FISH, powershell: POWERSHELL };

/** The completion script for a shell; it calls `alto __complete`. */
export function completionScript(shell: CompletionShell): string {
  return SCRIPTS[shell];
}
