// The commands the manifest contributes (category "CustomGPT"), in one list so a unit test can
// hold package.json, the registrations and this list to the same ids and titles.

export const COMMAND_TITLES: Readonly<Record<string, string>> = {
  'customgpt.setApiKey': 'Set API Key',
  'customgpt.clearApiKey': 'Clear API Key',
  'customgpt.selectProject': 'Select Project',
  'customgpt.ask': 'Ask...',
  'customgpt.askAboutSelection': 'Ask About Selection',
  'customgpt.menu': 'Show Menu',
  'customgpt.copyBaseUrl': 'Copy Base URL',
  'customgpt.copyToken': 'Copy Token',
  'customgpt.copyToolSettings': 'Copy Settings for a Tool...',
  'customgpt.showLog': 'Show Log',
  'customgpt.startBridge': 'Start Bridge',
  'customgpt.stopBridge': 'Stop Bridge',
  'customgpt.restartBridge': 'Restart Bridge',
  'customgpt.tryDemo': 'Try the Demo (Simulated Answers)',
};

export const COMMAND_CATEGORY = 'CustomGPT';
