// zxcvbn 4.4.2 (npm), bundled for the widget benchmark.
import zxcvbn from "zxcvbn";
globalThis.zxcvbnJs = zxcvbn;
