-- codesearch for Neovim: quickfix from `codesearch query --vimgrep`, "find code like this" on the
-- cursor line, and a live picker (telescope, fzf-lua or snacks.nvim when installed) whose core,
-- the debounced query function, needs nothing but Neovim. Keep `codesearch serve` running (or
-- pass --auto-serve in `args`) so each query is answered warm.
local M = {}

M.config = {
  cmd = { "codesearch" }, -- how to run codesearch (e.g. { "python3", "-m", "codesearch" })
  args = {}, -- extra flags for every query, e.g. { "--auto-serve" }
  k = 30, -- results per query
  min_chars = 3, -- the live picker waits for this many characters
  debounce_ms = 200, -- and for typing to pause this long
}

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", M.config, opts or {})
end

--- The argv of one codesearch call: subcommand, then its arguments.
function M.command(sub, rest)
  local argv = vim.list_extend(vim.deepcopy(M.config.cmd), { sub, "--vimgrep", "-k", tostring(M.config.k) })
  vim.list_extend(argv, M.config.args)
  return vim.list_extend(argv, rest)
end

--- Quickfix items from `--vimgrep` lines (path:line:col:text).
function M.parse(lines)
  local items = {}
  for _, line in ipairs(lines) do
    local file, lnum, col, text = line:match("^(.-):(%d+):(%d+):(.*)$")
    if file then
      table.insert(items, { filename = file, lnum = tonumber(lnum), col = tonumber(col), text = text })
    end
  end
  return items
end

local function run(argv)
  local out = vim.fn.systemlist(argv)
  if vim.v.shell_error ~= 0 then
    local msg = table.concat(out, " ")
    vim.notify("codesearch: " .. (msg ~= "" and msg or ("exit " .. vim.v.shell_error)), vim.log.levels.ERROR)
    return nil
  end
  return M.parse(out)
end

local function fill(items, title)
  vim.fn.setqflist({}, " ", { title = title, items = items })
  if #items == 0 then
    vim.notify("codesearch: no results", vim.log.levels.WARN)
  elseif #vim.api.nvim_list_uis() > 0 then
    vim.cmd("copen")
  end
end

--- :Codesearch {query}: the ranked functions in the quickfix list.
function M.quickfix(query)
  local items = run(M.command("query", { "--", query }))
  if items then
    fill(items, "codesearch: " .. query)
  end
  return items
end

--- :CodesearchSimilar: functions like the one under the cursor.
function M.similar()
  local file = vim.fn.expand("%:p")
  if file == "" then
    vim.notify("codesearch: this buffer has no file", vim.log.levels.ERROR)
    return nil
  end
  local where = file .. ":" .. vim.fn.line(".")
  local items = run(M.command("similar", { where }))
  if items then
    fill(items, "codesearch: like " .. vim.fn.fnamemodify(file, ":.") .. ":" .. vim.fn.line("."))
  end
  return items
end

--- The picker core: update(text) queries asynchronously once typing pauses, at min_chars or more;
--- on_results(items, text) gets only the answer to the latest text (older answers are dropped).
function M.live(on_results, opts)
  opts = vim.tbl_extend("force", { debounce_ms = M.config.debounce_ms, min_chars = M.config.min_chars }, opts or {})
  local timer = vim.loop.new_timer()
  local state = { generation = 0, job = nil, queries = 0 }

  local function ask(text, generation)
    if state.job then
      pcall(vim.fn.jobstop, state.job)
    end
    state.queries = state.queries + 1
    state.job = vim.fn.jobstart(M.command("query", { "--", text }), {
      stdout_buffered = true,
      on_stdout = function(_, data)
        if generation == state.generation then
          on_results(M.parse(data), text)
        end
      end,
    })
  end

  function state.update(text)
    state.generation = state.generation + 1
    local generation = state.generation
    timer:stop()
    if #vim.trim(text) < opts.min_chars then
      on_results({}, text)
      return
    end
    timer:start(opts.debounce_ms, 0, vim.schedule_wrap(function()
      if generation == state.generation then
        ask(text, generation)
      end
    end))
  end

  function state.close()
    timer:stop()
    if not timer:is_closing() then
      timer:close()
    end
    if state.job then
      pcall(vim.fn.jobstop, state.job)
    end
  end

  return state
end

-- Pickers: each installed one queries as you type through codesearch itself, with a file preview.
local function telescope_picker(opts)
  local pickers, finders = require("telescope.pickers"), require("telescope.finders")
  local conf, make_entry = require("telescope.config").values, require("telescope.make_entry")
  pickers.new(opts, {
    prompt_title = "codesearch",
    default_text = opts.default_text,
    finder = finders.new_job(function(prompt)
      if not prompt or #vim.trim(prompt) < M.config.min_chars then
        return nil
      end
      return M.command("query", { "--", prompt })
    end, make_entry.gen_from_vimgrep(opts)),
    previewer = conf.grep_previewer(opts),
    sorter = require("telescope.sorters").empty(),
    debounce = M.config.debounce_ms,
  }):find()
end

local function fzf_lua_picker(opts)
  local argv = M.command("query", { "--" })
  local cmd = table.concat(vim.tbl_map(vim.fn.shellescape, argv), " ") .. " <query>"
  require("fzf-lua").fzf_live(cmd, {
    prompt = "codesearch> ",
    query = opts.default_text,
    exec_empty_query = false,
    query_delay = M.config.debounce_ms,
    previewer = "builtin",
    actions = require("fzf-lua").defaults.actions.files,
  })
end

local function snacks_picker(opts)
  Snacks.picker.pick({
    source = "codesearch",
    search = opts.default_text,
    live = true,
    format = "file",
    finder = function(_, ctx)
      local text = ctx.filter.search
      if #vim.trim(text) < M.config.min_chars then
        return {}
      end
      local items = {}
      for _, it in ipairs(run(M.command("query", { "--", text })) or {}) do
        table.insert(items, { text = it.text, file = it.filename, pos = { it.lnum, it.col - 1 } })
      end
      return items
    end,
  })
end

--- :CodesearchLive: the first installed picker; without one, ask once and use quickfix.
function M.live_picker(opts)
  opts = opts or {}
  if pcall(require, "telescope") then
    return telescope_picker(opts)
  elseif pcall(require, "fzf-lua") then
    return fzf_lua_picker(opts)
  elseif rawget(_G, "Snacks") and Snacks.picker then
    return snacks_picker(opts)
  end
  vim.ui.input({ prompt = "codesearch: ", default = opts.default_text }, function(text)
    if text and text ~= "" then
      M.quickfix(text)
    end
  end)
end

return M
