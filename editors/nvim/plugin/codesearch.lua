-- codesearch: semantic code search from Neovim (:Codesearch, :CodesearchSimilar, :CodesearchLive).
if vim.g.loaded_codesearch then
  return
end
vim.g.loaded_codesearch = true

vim.api.nvim_create_user_command("Codesearch", function(args)
  require("codesearch").quickfix(args.args)
end, { nargs = "+", desc = "codesearch: functions that do what the query says, in the quickfix list" })

vim.api.nvim_create_user_command("CodesearchSimilar", function()
  require("codesearch").similar()
end, { nargs = 0, desc = "codesearch: code like the function under the cursor, in the quickfix list" })

vim.api.nvim_create_user_command("CodesearchLive", function(args)
  require("codesearch").live_picker({ default_text = args.args })
end, { nargs = "?", desc = "codesearch: a live picker (telescope, fzf-lua or snacks.nvim)" })
