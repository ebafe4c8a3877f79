import pkg from '../../package.json' with { type: 'json' };

/** Name and version of this tool: part of every build key and report. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;
export const TOOL_ID = `${TOOL.name}@${TOOL.version}`;
